#!/usr/bin/env bash
# Mines registry (一矿一档) at national scale (4,300 mines), on SQLite and on PostgreSQL (issue 3, DESIGN §4):
#   - the list API, sequential, one client: p50/p95/p99 of nine list queries, and the same SQL through ADO.NET (the ceiling);
#   - wrk -t2 -c50 on the /mines page (cookie), on the list API (bearer) and on /health (the HTTP ceiling);
#   - the export of every mine to .xlsx; the app's resident memory under all of it.
# For each database: publish (ReadyToRun, as deployed), start the app on an empty database with Demo:Scale=nation,
# wait until it has seeded and its first deadline sweep is over, measure, stop. Prints a summary table at the end.
# Raw outputs go to bench/results/mines/<date-time>/ (git-ignored). Figures: docs/PERFORMANCE.md.
# Usage: bench/mines.sh [runs=300] [wrk seconds=30] [databases="sqlite postgres"]
# Exit: 1 if the app (or PostgreSQL) fails to start, 2 if a response was wrong (HTTP error, API ≠ SQL), else 0.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}
duration=${2:-30}
databases=${3:-sqlite postgres}
warmup=$((runs / 10))
out=bench/results/mines/$(date +%Y%m%d-%H%M%S)
app=bench/results/mines-app
tool=bench/results/mines-bench
mkdir -p "$out"
exec > >(tee "$out/run.log") 2>&1

source bench/common.sh
app_name=mines-bench-app
install_tools wrk
build

# wrk with 50 connections on one URL; appends requests/s, latency, errors, CPU shares and RSS to the summary.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.1f", v}'; }
load() { # $1 = db, $2 = label, $3 = path, $4 = header (may be empty)
  local -a header=()
  [ -n "$4" ] && header=(-H "$4")
  alive
  wrk -t2 -c50 -d5s "${header[@]}" "$base$3" >/dev/null # warm-up: connection pools, tiered JIT
  # Up to three tries: a try during which other work took more than 15% of the machine is taken again; the least
  # disturbed one is kept.
  local try best="" best_other=999 line
  for try in 1 2 3; do
    wait_quiet | grep WARNING || true
    measure "$1" "$2" "$3" "$try" "${header[@]}"
    if [ "$other_pct" -lt "$best_other" ]; then best=$try; best_other=$other_pct; fi
    [ "$other_pct" -le 15 ] && break
    echo "  (try $try disturbed: other work took $other_pct% of the machine)"
  done
  cp "$out/wrk-$1-$2-$best.txt" "$out/wrk-$1-$2.txt"
  line=$(cat "$out/wrk-$1-$2-$best.line")
  echo "$line"
  cat "$out/wrk-$1-$2-$best.tsv" >>"$out/summary-$1.tsv"
}

measure() { # $1 = db, $2 = label, $3 = path, $4 = try, then wrk's header arguments
  local db=$1 label=$2 path=$3 try=$4; shift 4
  local file="$out/wrk-$db-$label-$try.txt" rss="$out/rss-$db-$label-$try.txt"
  local m0 m1 a0 a1 w0 p0 p1 sampler wrk_pid
  (while kill -0 "$app_pid" 2>/dev/null; do rss_mb "$app_pid"; echo; sleep 0.5; done) >"$rss" 2>/dev/null &
  sampler=$!
  m0=($(machine)); a0=$(ticks "$app_pid"); p0=$(ticks $(pg_pids))
  wrk -t2 -c50 -d"${duration}s" --latency "$@" "$base$path" >"$file" &
  wrk_pid=$!
  sleep $((duration - 1)); w0=$(ticks "$wrk_pid") # wrk's own CPU, read just before it exits
  wait "$wrk_pid"
  m1=($(machine)); a1=$(ticks "$app_pid"); p1=$(ticks $(pg_pids))
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  local total=$((m1[1] - m0[1])) busy=$((m1[0] - m0[0])) ncpu; ncpu=$(nproc)
  local app_pct=$(( (a1 - a0) * 100 * ncpu / (total + 1) )) pg_pct=$(( (p1 - p0) * 100 * ncpu / (total + 1) ))
  local wrk_pct=$(( w0 * 100 / (hz * (duration - 1)) ))
  other_pct=$(( busy * 100 * ncpu / (total + 1) - app_pct - pg_pct - wrk_pct ))
  [ "$other_pct" -lt 0 ] && other_pct=0
  local rps p50 p99 non2xx sockets maxrss
  rps=$(awk '/^Requests\/sec:/ {printf "%d", $2}' "$file")
  p50=$(awk '$1 == "50%" {print $2}' "$file" | to_ms)
  p99=$(awk '$1 == "99%" {print $2}' "$file" | to_ms)
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$file"); non2xx=${non2xx:-0}
  sockets=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$file"); sockets=${sockets:-0}
  maxrss=$(sort -n "$rss" | tail -n 1)
  printf '%-34s %6s req/s  p50 %6s ms  p99 %7s ms  non-2xx %s  socket errors %s  RSS max %s MB  CPU: app %s%%, postgres %s%%, wrk %s%%, other %s%% (of %s%%), loadavg %s\n' \
    "$path ($label)" "$rps" "$p50" "$p99" "$non2xx" "$sockets" "$maxrss" "$app_pct" "$pg_pct" "$wrk_pct" "$other_pct" "$((ncpu * 100))" "$(loadavg)" >"$out/wrk-$db-$label-$try.line"
  printf 'wrk.%s.%s\t%s\n' "$label" rps "$rps" "$label" p50 "$p50" "$label" p99 "$p99" "$label" errors "$((non2xx + sockets))" "$label" rss "$maxrss" \
    "$label" cpu "app $app_pct%, db $pg_pct%, wrk $wrk_pct%, other $other_pct%" >"$out/wrk-$db-$label-$try.tsv"
}

# --- the runs ------------------------------------------------------------------------------------------------------
status=0
for db in $databases; do
  log "$db: start with nation demo data"
  [ "$db" = postgres ] && [ -z "$pg_dir" ] && start_postgres
  start_app "$db"
  wait_quiet

  log "$db: list API vs raw SQL, /mines page, export ($runs runs after $warmup warm-up, one client)"
  alive
  bench run --url "$base" --provider "$db" --connection "$connection" --runs "$runs" --warmup "$warmup" --pid "$app_pid" $(db_pid_args "$db") \
    --summary "$out/summary-$db.tsv" | tee "$out/bench-$db.txt" || status=2
  steady_pass "$db" run --url "$base" --provider "$db" --connection "$connection" --runs "$runs" --warmup "$warmup" --export-runs 0
  bench explain --url "$base" --provider "$db" --connection "$connection" >"$out/explain-$db.txt" || true

  log "$db: wrk -t2 -c50 -d${duration}s (wrk, the app and the database share the machine's $(nproc) cores)"
  token=$(bench token --url "$base")
  cookie=$(bench cookie --url "$base")
  load "$db" health /health ""
  load "$db" api /api/v1/mines "Authorization: Bearer $token"
  load "$db" page /mines "Cookie: $cookie"
  load "$db" page-city /mines "Cookie: $(bench cookie --url "$base" --user city)"
  printf 'rss.end.mb\t%s\nrss.hwm.mb.end\t%s\n' "$(rss_mb "$app_pid")" "$(awk '/^VmHWM:/ {printf "%d", $2 / 1024}' "/proc/$app_pid/status")" >>"$out/summary-$db.tsv"
  alive
  stop_app
done

# --- summary -------------------------------------------------------------------------------------------------------
for db in $databases; do # the most resident memory seen anywhere under load
  m=$( (get rss.bench.max.mb "$db"; cat "$out"/rss-"$db"-*.txt 2>/dev/null) | sort -n | tail -n 1)
  printf 'rss.load.max.mb\t%s\n' "$m" >>"$out/summary-$db.tsv"
done

log "summary ($(date +%F), nation scale: 4,300 mines; raw outputs in $out)"
header
row "list API p95, worst of 9 queries" "≤ 100 ms" list.worst.p95 ms 100 "<="
row "list API p95 on the server (Server-Timing), worst" "≤ 100 ms" list.worst.server.p95 ms 100 "<="
row "list API on the server / raw SQL, worst p95" "≤ 2×" list.worst.server.ratio.p95 "×" 2 "<="
row "list API on the server / raw SQL, worst p50" "≤ 2×" list.worst.server.ratio.p50 "×" 2 "<="
row "  the same in steady state (block 25), p95" "≤ 2×" steady.list.worst.server.ratio.p95 "×" 2 "<="
row "  the same in steady state (block 25), p50" "≤ 2×" steady.list.worst.server.ratio.p50 "×" 2 "<="
row "list API at the client / raw SQL, worst p95" "" list.worst.ratio.p95 "×" "" ""
row "  the same in steady state (block 25), p95" "" steady.list.worst.ratio.p95 "×" "" ""
row "/mines page, wrk -c50 (req/s)" "≥ 1,000" wrk.page.rps "" 1000 ">="
row "/mines page, wrk errors (non-2xx + socket)" "0" wrk.page.errors "" 0 "<="
row "/mines page, wrk p99 latency" "" wrk.page.p99 ms "" ""
row "list API, wrk -c50 (req/s)" "" wrk.api.rps "" "" ""
row "list API, wrk errors" "0" wrk.api.errors "" 0 "<="
row "ceiling: /health, wrk -c50 (req/s)" "" wrk.health.rps "" "" ""
row "/mines page as city (69 regions), wrk -c50" "" wrk.page-city.rps "" "" ""
row "/mines page, sequential p50" "" page.p50 ms "" ""
row "export of all mines, median" "≤ 2,000 ms" export.median.ms ms 2000 "<="
row "export rows" "4,300" export.rows "" "" ""
row "other work during the list queries (worst)" "" list.other.max "%" "" ""
row "app resident memory, most under load" "< 300 MB" rss.load.max.mb MB 300 "<="
for db in $databases; do
  echo "$db CPU during wrk on /mines: $(get wrk.page.cpu "$db") of $(($(nproc) * 100))%; on the list API: $(get wrk.api.cpu "$db")"
done
echo "wrk, the app and the database share the same $(nproc) cores: the wrk figures are for the whole machine, not the app alone."
for db in $databases; do [ "$(get errors "$db")" = "0" ] || { echo "$db: the bench found wrong answers or HTTP errors (see $out/bench-$db.txt)"; status=2; }; done
exit $status
