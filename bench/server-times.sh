#!/usr/bin/env bash
# The server's own time (its Server-Timing header) for API paths as one user, sequentially: p50 and p95 of N requests
# 20 ms apart after 5 warm-up. For a running instance (e.g. one of bench/mines.sh or `dotnet run` with Demo:Scale=nation);
# the benches measure as the national user, this shows what a city's or county's user gets.
# Usage: bench/server-times.sh URL USER PATH... (env RUNS, default 40; PASSWORD, default the demo accounts' Demo#2026)
# Example: bench/server-times.sh http://127.0.0.1:5080 county.qilin /api/v1/hazards "/api/v1/conflicts?open=true"
set -euo pipefail
url=$1; user=$2; shift 2
runs=${RUNS:-40}
token=$(curl -fsS -X POST "$url/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"userName\":\"$user\",\"password\":\"${PASSWORD:-Demo#2026}\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
for path in "$@"; do
  for _ in 1 2 3 4 5; do curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$url$path"; done
  for _ in $(seq "$runs"); do
    curl -fsS -D - -o /dev/null -H "Authorization: Bearer $token" "$url$path" | tr -d '\r' | awk -F'dur=' 'tolower($0) ~ /^server-timing:/ {print $2}'
    sleep 0.02
  done | sort -n | awk -v p="$path" -v u="$user" '{a[NR] = $1} END {printf "%-14s %-48s server p50 %7.2f ms  p95 %7.2f ms  (%d requests)\n", u, p, a[int((NR + 1) * 0.5)], a[int(NR * 0.95)], NR}'
done
