#!/usr/bin/env bash
# Hazards (隐患排查治理) at national scale (4,300 mines, 1,000,000 hazards), on SQLite and on PostgreSQL (issue 5, DESIGN §4):
#   - the ledger API (typical filters) and the stats API, each through the API, as raw SQL (the statements EF sends,
#     replayed through ADO.NET) and through EF in process, interleaved request by request, one client: p50/p95/p99;
#     then again in steady state (25 requests of a query in a row before the next);
#   - the overview page /hazards (the cockpit: it computes twelve months of statistics) as nation, city and county;
#   - the export of about 100,000 rows (the newest) to .xlsx: time and the app's resident memory meanwhile.
# The apps of both databases are started at once (each on an empty database with Demo:Scale=nation) to save the
# waiting: their seeding times overlap and are contended by each other. Once both have seeded and swept their
# deadlines, each is restarted on its database (a serving instance, not the process that generated a million rows)
# and measured in turn while the other is idle. Prints a summary table at the end.
# Raw outputs go to bench/results/hazards/<date-time>/ (git-ignored). Figures: docs/PERFORMANCE.md.
# Usage: bench/hazards.sh [list runs=200] [stats runs=30] [databases="sqlite postgres"]
#   BENCH_REUSE_BUILD=1 reuses bench/results/hazards-app and -bench when present (no publish).
# Exit: 1 if the app (or PostgreSQL) fails to start, 2 if a response was wrong (HTTP error, API ≠ SQL ≠ EF), else 0.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
stats_runs=${2:-30}
databases=${3:-sqlite postgres}
warmup=$((runs / 10))
out=bench/results/hazards/$(date +%Y%m%d-%H%M%S)
app=bench/results/hazards-app
tool=bench/results/hazards-bench
app_name=hazards-bench-app
mkdir -p "$out"
exec > >(tee "$out/run.log") 2>&1
source bench/common.sh

install_tools ""
if [ "${BENCH_REUSE_BUILD:-}" = 1 ] && [ -x "$app/$app_name" ] && [ -f "$tool/MineRisk.Bench.dll" ]; then
  echo "reusing the published app and bench tool in $app, $tool (BENCH_REUSE_BUILD=1); commit $(git rev-parse --short HEAD)"
else
  build
fi

# --- start every database's app at once ----------------------------------------------------------------------------
declare -A pid_of=() base_of=() conn_of=() data_of=()
stop_all() { # every app still running, then every data folder (a measured database's app is already stopped)
  local d
  for d in "${!pid_of[@]}"; do kill "${pid_of[$d]}" 2>/dev/null || true; wait "${pid_of[$d]}" 2>/dev/null || true; done
  for d in "${!data_of[@]}"; do rm -rf "${data_of[$d]}"; done
  cleanup
}
trap stop_all EXIT
run_app() { # $1 = database, $2 = log: starts its app in the background (pid_of)
  local env=(MINERISK_Data__Directory="${data_of[$1]}" MINERISK_Demo__Scale=nation ASPNETCORE_ENVIRONMENT=Production)
  [ "$1" = postgres ] && env+=(MINERISK_Database__Provider=Postgres "MINERISK_Database__ConnectionString=${conn_of[$1]}")
  env "${env[@]}" "$app/$app_name" --urls "${base_of[$1]}" --contentRoot "$PWD/$app" >"$2" 2>&1 &
  pid_of[$1]=$!
}
for db in $databases; do
  log "$db: start with nation demo data ($(loadavg))"
  [ "$db" = postgres ] && [ -z "$pg_dir" ] && start_postgres
  data_of[$db]=$(mktemp -d /tmp/minerisk-bench-data.XXXXXX)
  port=$(free_port $([ "$db" = postgres ] && echo 5390 || echo 5290))
  base_of[$db]="http://127.0.0.1:$port"
  if [ "$db" = postgres ]; then
    conn_of[$db]="Host=127.0.0.1;Port=$pg_port;Database=minerisk_bench;Username=postgres"
  else
    conn_of[$db]="Data Source=${data_of[$db]}/minerisk.db"
  fi
  run_app "$db" "$out/app-$db.log"
  echo "$(date +%T) started pid ${pid_of[$db]} on ${base_of[$db]}"
done
started=$SECONDS
declare -A ready_at=()
ready=0
while [ "$ready" -lt $(wc -w <<<"$databases") ]; do
  for db in $databases; do
    [ -n "${ready_at[$db]:-}" ] && continue
    kill -0 "${pid_of[$db]}" 2>/dev/null || { tail -n 30 "$out/app-$db.log"; die "the app stopped while seeding $db"; }
    if grep -q "(MineRisk) 已启动" "$out/app-$db.log"; then
      ready_at[$db]=$((SECONDS - started)); ready=$((ready + 1))
      echo "$db: started and seeded in ${ready_at[$db]} s (loadavg $(loadavg)); $(grep -o '演示隐患.*' "$out/app-$db.log" | head -n 1)"
      printf 'seed.s\t%s\nseed.hazards.ms\t%s\n' "${ready_at[$db]}" "$(grep -o '用时 [0-9]* ms' "$out/app-$db.log" | grep -o '[0-9]*' | head -n 1)" >>"$out/summary-$db.tsv"
    fi
  done
  [ $((SECONDS - started)) -gt 3600 ] && die "seeding took more than an hour"
  sleep 2
done
# The first deadline sweep escalates the demo data's overdue items: measure after it (both apps idle for 10 s).
quiet=0; sweep=$SECONDS
while [ "$quiet" -lt 2 ] && [ $((SECONDS - sweep)) -lt 1200 ]; do
  a=$(ticks "${pid_of[@]}"); sleep 5; b=$(ticks "${pid_of[@]}")
  if [ $((b - a)) -lt $((hz / 4)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
done
echo "idle after the first deadline sweeps: $((SECONDS - sweep)) s more"

# --- measure each in turn ------------------------------------------------------------------------------------------
status=0
for db in $databases; do
  # A serving instance, not the process that generated a million hazards (whose heap the GC keeps): restarted on its
  # database, measured once its start-up work is over.
  echo "$db: $(rss_mb "${pid_of[$db]}") MB resident after seeding; restarting it on the seeded database"
  kill "${pid_of[$db]}"; wait "${pid_of[$db]}" 2>/dev/null || true
  run_app "$db" "$out/app-$db-serve.log"
  app_pid=${pid_of[$db]}; base=${base_of[$db]}; connection=${conn_of[$db]}
  restarted=$SECONDS
  until grep -q "(MineRisk) 已启动" "$out/app-$db-serve.log"; do
    kill -0 "$app_pid" 2>/dev/null && [ $((SECONDS - restarted)) -lt 600 ] || { tail -n 30 "$out/app-$db-serve.log"; die "the app did not restart on $db"; }
    sleep 0.5
  done
  wait_idle
  echo "$db: $(rss_mb "$app_pid") MB resident before the run (restarted in $((SECONDS - restarted)) s)"
  wait_quiet
  log "$db: ledger and stats API vs raw SQL vs EF, overview page, export (lists $runs runs, stats $stats_runs, one client)"
  alive
  bench hazards --url "$base" --provider "$db" --connection "$connection" --runs "$runs" --warmup "$warmup" --stats-runs "$stats_runs" --export-runs 3 \
    --pid "$app_pid" $(db_pid_args "$db") --summary "$out/summary-$db.tsv.run" | tee "$out/bench-$db.txt" || status=2
  cat "$out/summary-$db.tsv.run" >>"$out/summary-$db.tsv" 2>/dev/null || true
  steady_pass "$db" hazards --url "$base" --provider "$db" --connection "$connection" --runs "$runs" --warmup "$warmup" --stats-runs "$stats_runs" --export-runs 0
  bench hazards-explain --url "$base" --provider "$db" --connection "$connection" >"$out/explain-$db.txt" 2>&1 || true
  alive
  printf 'rss.end.mb\t%s\n' "$(rss_mb "$app_pid")" >>"$out/summary-$db.tsv"
  kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; unset "pid_of[$db]"; app_pid=""
done

# --- summary -------------------------------------------------------------------------------------------------------
log "summary ($(date +%F), nation scale: 1,000,000 hazards; raw outputs in $out)"
header
row "nation demo data: start and seed (s)" "" seed.s s "" ""
row "  of which the hazards (ms)" "" seed.hazards.ms ms "" ""
row "ledger API p95, worst query" "≤ 100 ms" list.worst.p95 ms 100 "<="
row "ledger API on the server / raw SQL, worst p95" "≤ 2×" list.worst.server.ratio.p95 "×" 2 "<="
row "  at the client (HTTP included), p95" "" list.worst.ratio.p95 "×" "" ""
row "ledger API on the server / raw SQL, worst p50" "≤ 2×" list.worst.server.ratio.p50 "×" 2 "<="
row "  the same in steady state (block 25), p95" "≤ 2×" steady.list.worst.server.ratio.p95 "×" 2 "<="
row "  the same in steady state (block 25), p50" "≤ 2×" steady.list.worst.server.ratio.p50 "×" 2 "<="
row "stats API p95, worst query" "≤ 300 ms" stats.worst.p95 ms 300 "<="
row "stats API / raw SQL, worst p95" "" stats.worst.ratio.p95 "×" "" ""
row "/hazards page p95 as nation" "≤ 300 ms" page.nation.p95 ms 300 "<="
row "/hazards page p95 as city (cockpit)" "≤ 300 ms" page.city.p95 ms 300 "<="
row "/hazards page p95 as county" "≤ 300 ms" page.county.qilin.p95 ms 300 "<="
row "export ~100,000 rows, median" "≤ 10,000 ms" export.median.ms ms 10000 "<="
row "export rows" "≥ 100,000" export.rows "" 100000 ">="
row "app resident memory during export, most" "< 300 MB" export.rss.peak.mb MB 300 "<="
row "other work during the queries (worst)" "" other.max "%" "" ""
for db in $databases; do
  echo "$db: worst cases: ledger '$(get list.worst.p95.case "$db")', ratio on the server '$(get list.worst.server.ratio.case "$db")' (steady state '$(get steady.list.worst.server.ratio.case "$db")'), at the client '$(get list.worst.ratio.case "$db")', stats '$(get stats.worst.p95.case "$db")'; loadavg at the end $(get loadavg.end "$db")"
done
for db in $databases; do [ "$(get errors "$db")" = "0" ] && [ "$(get steady.errors "$db")" = "0" ] || { echo "$db: the bench found wrong answers or HTTP errors (see $out/bench-$db.txt)"; status=2; }; done
exit $status
