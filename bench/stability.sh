#!/usr/bin/env bash
# Stability (维稳) at national scale (4,300 mines, 50,000 conflicts, an assessment history per mine), on SQLite and on
# PostgreSQL (issue 4, DESIGN §4): the conflict list, the assessment list, the monthly summary (每月一汇总) and the
# stability summary (grades), each query through the API, as raw SQL (the statements EF sends, through ADO.NET) and
# through EF in process, interleaved request by request, one client: p50/p95/p99 and the API/raw SQL ratio.
# For each database: publish (ReadyToRun, as deployed), start the app on an empty database with Demo:Scale=nation,
# wait until it has seeded and its first deadline sweep is over, measure, stop. Prints a summary table at the end.
# Raw outputs go to bench/results/stability/<date-time>/ (git-ignored). Figures: docs/PERFORMANCE.md.
# Usage: bench/stability.sh [runs=300] [databases="sqlite postgres"]
# Exit: 1 if the app (or PostgreSQL) fails to start, 2 if a response was wrong (HTTP error, API ≠ SQL ≠ EF), else 0.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}
databases=${2:-sqlite postgres}
warmup=$((runs / 10))
out=bench/results/stability/$(date +%Y%m%d-%H%M%S)
app=bench/results/stability-app
tool=bench/results/stability-bench
app_name=stability-bench-app
mkdir -p "$out"
exec > >(tee "$out/run.log") 2>&1
source bench/common.sh

install_tools ""
build

status=0
for db in $databases; do
  log "$db: start with nation demo data"
  [ "$db" = postgres ] && [ -z "$pg_dir" ] && start_postgres
  start_app "$db"
  wait_quiet

  log "$db: conflict list, assessment list, monthly summary, grade summary: API vs raw SQL vs EF ($runs runs after $warmup warm-up, one client)"
  alive
  bench stability --url "$base" --provider "$db" --connection "$connection" --runs "$runs" --warmup "$warmup" --pid "$app_pid" $(db_pid_args "$db") \
    --summary "$out/summary-$db.tsv" | tee "$out/bench-$db.txt" || status=2
  steady_pass "$db" stability --url "$base" --provider "$db" --connection "$connection" --runs "$runs" --warmup "$warmup"
  bench stability-explain --url "$base" --provider "$db" --connection "$connection" >"$out/explain-$db.txt" 2>&1 || true
  bench stability-sql --url "$base" --provider "$db" --connection "$connection" >"$out/ef-sql-$db.txt" 2>&1 || true # what StabilitySql copies
  alive
  printf 'rss.end.mb\t%s\nrss.hwm.mb\t%s\n' "$(rss_mb "$app_pid")" "$(awk '/^VmHWM:/ {printf "%d", $2 / 1024}' "/proc/$app_pid/status")" >>"$out/summary-$db.tsv"
  stop_app
done

# --- summary -------------------------------------------------------------------------------------------------------
log "summary ($(date +%F), nation scale; raw outputs in $out)"
header
row "conflict list API p95, worst query" "≤ 100 ms" conflicts.worst.p95 ms 100 "<="
row "conflict list API on the server / raw SQL, worst p95" "≤ 2×" conflicts.worst.server.ratio.p95 "×" 2 "<="
row "  at the client (HTTP included), p95" "" conflicts.worst.ratio.p95 "×" "" ""
row "conflict list API on the server / raw SQL, worst p50" "≤ 2×" conflicts.worst.server.ratio.p50 "×" 2 "<="
row "  the same in steady state (block 25), p95" "≤ 2×" steady.conflicts.worst.server.ratio.p95 "×" 2 "<="
row "assessment list API p95, worst query" "≤ 100 ms" assessments.worst.p95 ms 100 "<="
row "assessment list API on the server / raw SQL, worst p95" "≤ 2×" assessments.worst.server.ratio.p95 "×" 2 "<="
row "  at the client (HTTP included), p95" "" assessments.worst.ratio.p95 "×" "" ""
row "assessment list API on the server / raw SQL, worst p50" "≤ 2×" assessments.worst.server.ratio.p50 "×" 2 "<="
row "  the same in steady state (block 25), p95" "≤ 2×" steady.assessments.worst.server.ratio.p95 "×" 2 "<="
row "monthly summary API p95, worst query" "≤ 300 ms" monthly.worst.p95 ms 300 "<="
row "monthly summary API on the server / raw SQL, worst p95" "≤ 2×" monthly.worst.server.ratio.p95 "×" 2 "<="
row "  at the client (HTTP included), p95" "" monthly.worst.ratio.p95 "×" "" ""
row "monthly summary API on the server / raw SQL, worst p50" "≤ 2×" monthly.worst.server.ratio.p50 "×" 2 "<="
row "  the same in steady state (block 25), p95" "≤ 2×" steady.monthly.worst.server.ratio.p95 "×" 2 "<="
row "stability summary API p95, worst query" "≤ 300 ms" grades.worst.p95 ms 300 "<="
row "stability summary API on the server / raw SQL, worst p95" "≤ 2×" grades.worst.server.ratio.p95 "×" 2 "<="
row "  at the client (HTTP included), p95" "" grades.worst.ratio.p95 "×" "" ""
row "stability summary API on the server / raw SQL, worst p50" "≤ 2×" grades.worst.server.ratio.p50 "×" 2 "<="
row "  the same in steady state (block 25), p95" "≤ 2×" steady.grades.worst.server.ratio.p95 "×" 2 "<="
row "other work during the queries (worst)" "" other.max "%" "" ""
row "app resident memory at the end" "< 300 MB" rss.end.mb MB 300 "<="
for db in $databases; do
  echo "$db: worst p95 cases: conflicts '$(get conflicts.worst.p95.case "$db")', assessments '$(get assessments.worst.p95.case "$db")'," \
    "monthly '$(get monthly.worst.p95.case "$db")', grades '$(get grades.worst.p95.case "$db")'; loadavg at the end $(get loadavg.end "$db")"
done
for db in $databases; do [ "$(get errors "$db")" = "0" ] || { echo "$db: the bench found wrong answers or HTTP errors (see $out/bench-$db.txt)"; status=2; }; done
exit $status
