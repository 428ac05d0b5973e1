#!/usr/bin/env bash
# Start-up time to the first page (DESIGN §4: ≤ 3 s on SQLite) and resident memory after start.
# Measures N runs each of: an empty data folder (schema creation + demo seeding) and an existing database.
# Usage: bench/startup.sh [runs=5] [scale=city]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
scale=${2:-city}
# Measured as deployed: published with ReadyToRun (precompiled), see docs/OPERATIONS.md.
out=bench/results/startup-app
dotnet publish src/MineRisk.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out" --nologo -v quiet >/dev/null
dll=$out/MineRisk.Web.dll
data=$(mktemp -d /tmp/minerisk-startup.XXXXXX)
port=5190
trap 'rm -rf "$data"' EXIT

measure() { # $1 = label
  local start end pid rss
  start=$(date +%s%N)
  MINERISK_Data__Directory="$data" MINERISK_Demo__Scale="$scale" ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$dll" --urls "http://127.0.0.1:$port" --contentRoot "$PWD/$out" >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/account/login"; do
    kill -0 "$pid" 2>/dev/null || { echo "the app exited during start-up" >&2; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '%-22s %6d ms to first page, %4d MB resident\n' "$1" $(((end - start) / 1000000)) $((rss / 1024))
}

for i in $(seq "$runs"); do
  rm -rf "${data:?}"/*
  measure "empty database ($scale)"
  measure "existing database"
done
