#!/usr/bin/env bash
# Monitoring (监测预警) benchmarks, DESIGN §4 and issue 6 "Done when". Figures go to docs/PERFORMANCE.md.
#
#   bench/monitoring.sh throughput-pg [mines] [rounds]
#                                          province demo data (1,000 mines, 12 rounds by default) × 300 points; CDSS PUT as fast
#                                          as the app takes them, end to end (parse, check, archive, acknowledge, alarm, durable
#                                          store), then the raw COPY of the same rows into the same table in the same run (the
#                                          ceiling). Fewer mines or rounds make a shorter run (e.g. 1000 3 = 0.9 M readings); up
#                                          to 220 mines run on the city demo data, which starts faster
#   bench/monitoring.sh throughput-sqlite [mines] [rounds]
#                                          the same on SQLite, with the city demo data (220 mines, 10 rounds by default)
#   bench/monitoring.sh national [600] [mines]
#                                          nation demo data: 4,300 mines × 300 points = 1.3 M points every 30 s ≈ 43,000
#                                          readings/s for 600 s (default), with an alarm-latency probe every 2 s
#   bench/monitoring.sh national-setup [mines]
#                                          only the national setup (upload keys, CDDY/RYQY/RYXX through the intake), timed, for
#                                          the first [mines] mines of the nation demo data (all 4,300 by default)
#   bench/monitoring.sh crash [pg|sqlite]  SIGKILL the app during a stream of uploads, restart it, verify every acknowledged
#                                          file applied exactly once and no reading stored twice
#
# CONCURRENCY (32) is the simulator's connections, as many uploads at once (16 until 2026-12-07: the intake's group
# commits then held 4 files, and the run measured the senders' latency more than the pipeline; docs/PERFORMANCE.md).
# PG_STATEMENTS=1 preloads pg_stat_statements and prints PostgreSQL's statements by total time and its tables by rows read
# in sequential scans for the end-to-end step, and logs the plans of statements slower than PG_EXPLAIN_MS (20) ms.
# PROFILE=1 starts the app with perf maps and records it with `perf record -g` during the measured end-to-end step
# (bench/results/monitoring/perf-*.data, folded stacks in perf-*.folded).
#
# PostgreSQL runs in its own throw-away cluster with durable settings (fsync and synchronous_commit on: "durable store"
# means what it says); the app is published with ReadyToRun as deployed. Everything is under bench/results/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-throughput-pg}
out=bench/results/monitoring
mkdir -p "$out"
app_dir=bench/results/monitoring-app
free_port() { local p=$1; while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
port=$(free_port 5180)
url=http://127.0.0.1:$port
pg_port=$(free_port 55950)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir=$(mktemp -d /tmp/minerisk-bench-pg.XXXXXX)
data_dir=$(mktemp -d /tmp/minerisk-bench-data.XXXXXX)
app_pid=
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_cs="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=minerisk;Maximum Pool Size=60"

perf_pid=
cleanup() {
  [ -n "$perf_pid" ] && kill -INT "$perf_pid" 2>/dev/null || true
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir" "$data_dir"
}
trap cleanup EXIT

log() { printf '\n== %s (load average %s)\n' "$*" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

# Who used the CPU during a measured step. Other agents share this 2-core machine: the figures are only worth what the
# share they left us was, so every measured step reports the CPU time of the app, PostgreSQL, the simulator and of
# everything else ("others"); a run where others took a noticeable share is repeated.
hz=$(getconf CLK_TCK)
cpu_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }          # all CPUs: user nice system irq softirq steal
proc_cpu() { if [ -n "$1" ] && [ -r "/proc/$1/stat" ]; then awk '{print $14+$15+$16+$17}' "/proc/$1/stat"; else echo 0; fi; }
pg_cpu() {  # the postmaster with its exited backends, plus the live ones
  local pm total c
  pm=$(head -n 1 "$pg_dir/data/postmaster.pid" 2>/dev/null) || { echo 0; return; }
  total=$(proc_cpu "$pm")
  for c in $(pgrep -P "$pm"); do total=$((total + $(awk '{print $14+$15}' "/proc/$c/stat" 2>/dev/null || echo 0))); done  # a backend may exit meanwhile
  echo "$total"
}
measure_start() { m_t0=$(date +%s.%N); m_busy0=$(cpu_busy); m_app0=$(proc_cpu "$app_pid"); m_pg0=$(pg_cpu); m_load0=$(cut -d' ' -f1-3 /proc/loadavg); }
measure_end() { # $1 = the simulator's CPU seconds (from /usr/bin/time)
  local wall busy app pg
  wall=$(echo "$(date +%s.%N) - $m_t0" | bc)
  busy=$(( $(cpu_busy) - m_busy0 )); app=$(( $(proc_cpu "$app_pid") - m_app0 )); pg=$(( $(pg_cpu) - m_pg0 ))
  awk -v w="$wall" -v n="$(nproc)" -v hz="$hz" -v b="$busy" -v a="$app" -v p="$pg" -v s="${1:-0}" -v l0="$m_load0" -v l1="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
    o = b / hz - a / hz - p / hz - s; if (o < 0) o = 0
    printf "CPU over %.1f s wall (%d cores = %.0f core-s): app %.1f s, PostgreSQL %.1f s, simulator %.1f s, others %.1f s (%.0f%% of the machine); idle %.0f%%; load average %s → %s\n",
      w, n, w * n, a / hz, p / hz, s, o, 100 * o / (w * n), 100 - 100 * (b / hz) / (w * n), l0, l1 }'
}
# Runs the simulator, timing its own CPU (for measure_end).
sim_timed() { /usr/bin/time -f "%U %S" -o "$out/sim-cpu" dotnet bench/feeds-sim/bin/Release/net10.0/FeedsSim.dll "$@"; }
sim_cpu() { tail -n 1 "$out/sim-cpu" | awk '{print $1 + $2}'; }

start_pg() {
  [ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
  run_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # Durable (fsync, synchronous_commit on); memory and WAL sized so checkpoints do not interrupt a run of a few minutes.
  run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir \
    -c max_connections=200 -c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min -c wal_buffers=64MB \
    ${PG_STATEMENTS:+-c shared_preload_libraries=pg_stat_statements,auto_explain -c pg_stat_statements.track=all -c auto_explain.log_min_duration=${PG_EXPLAIN_MS:-20}}" start >/dev/null
  run_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE minerisk" >/dev/null
  if [ -n "${PG_STATEMENTS:-}" ]; then psql_q "CREATE EXTENSION pg_stat_statements" >/dev/null; fi
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on port $pg_port, fsync on, synchronous_commit on"
}

psql_q() { run_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d minerisk -qAtc "$1"; }

# PG_STATEMENTS=1: where PostgreSQL's time went during a step — its statements by total execution time, and the tables by
# rows read in sequential scans (pg_stat_statements, preloaded only then: it costs a little itself).
pg_statements_reset() { [ -z "${PG_STATEMENTS:-}" ] || psql_q "SELECT pg_stat_statements_reset(); SELECT pg_stat_reset()" >/dev/null; }
pg_statements_report() {
  [ -n "${PG_STATEMENTS:-}" ] || return 0
  echo "PostgreSQL statements by total time (ms, calls, rows, statement):"
  psql_q "SELECT round(total_exec_time)::text || E'\t' || calls || E'\t' || rows || E'\t' || left(regexp_replace(query, '\s+', ' ', 'g'), 150)
          FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15" | sed 's/^/  /'
  echo "tables by rows read in sequential scans (table, seq scans, rows, index scans):"
  psql_q "SELECT relname || E'\t' || seq_scan || E'\t' || seq_tup_read || E'\t' || coalesce(idx_scan, 0) FROM pg_stat_user_tables
          WHERE seq_tup_read > 0 ORDER BY seq_tup_read DESC LIMIT 8" | sed 's/^/  /'
  cp "$pg_dir/log" "$out/pg.log"
  echo "plans of statements over ${PG_EXPLAIN_MS:-20} ms (auto_explain): $(grep -c 'duration:' "$out/pg.log") in $out/pg.log"
}

build() {
  [ -n "${SKIP_BUILD:-}" ] && { echo "(SKIP_BUILD: using the app already published in $app_dir)"; return; }
  log "publishing the app (ReadyToRun) and building the simulator"
  dotnet publish src/MineRisk.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$app_dir" --nologo -v quiet >/dev/null
  dotnet build bench/feeds-sim -c Release --nologo -v quiet >/dev/null
}

sim() { dotnet bench/feeds-sim/bin/Release/net10.0/FeedsSim.dll "$@"; }

start_app() { # $1 = provider, $2 = demo scale
  local provider=$1 scale=$2
  local cs=$pg_cs
  [ "$provider" = Sqlite ] && cs="Data Source=$data_dir/minerisk.db;Default Timeout=30"
  MINERISK_Data__Directory="$data_dir" MINERISK_Database__Provider="$provider" MINERISK_Database__ConnectionString="$cs" \
  MINERISK_Demo__Scale="$scale" MINERISK_Monitoring__Simulator__Enabled=false MINERISK_Monitoring__InboxEnabled=false \
  MINERISK_Deadlines__SweeperEnabled=false MINERISK_Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  env ${PROFILE:+DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0} \
    dotnet "$app_dir/MineRisk.Web.dll" --urls "$url" --contentRoot "$PWD/$app_dir" >>"$out/app.log" 2>&1 &
  app_pid=$!
  until curl -fs -o /dev/null "$url/health"; do
    kill -0 "$app_pid" 2>/dev/null || { echo "the app exited during start-up, see $out/app.log" >&2; tail -20 "$out/app.log"; exit 1; }
    sleep 0.5
  done
  echo "app pid $app_pid ($provider, demo scale $scale) on $url"
}

# perf of the whole machine during a measured step (PROFILE=1): $1 names the files. Stacks are folded per process: the
# app, PostgreSQL (each backend and helper), the simulator, and everything else by its name.
profile_start() {
  [ -n "${PROFILE:-}" ] || return 0
  : >"$out/perf-$1.pgpids"
  perf record -F 499 -a -g -o "$out/perf-$1.data" >/dev/null 2>&1 &
  perf_pid=$!
  # PostgreSQL's backends and workers come and go: note them every second, so that their samples are told apart from
  # other clusters' on the machine.
  local pm; pm=$(head -n 1 "$pg_dir/data/postmaster.pid" 2>/dev/null || echo 0)
  ( while kill -0 "$perf_pid" 2>/dev/null; do pgrep -P "$pm" >>"$out/perf-$1.pgpids" || true; sleep 1; done ) &
}
profile_end() {
  [ -n "$perf_pid" ] || return 0
  kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true; perf_pid=
  local pm; pm=$(head -n 1 "$pg_dir/data/postmaster.pid" 2>/dev/null || echo 0)
  perf script -i "$out/perf-$1.data" -F comm,pid,tid,time,ip,sym,dso 2>/dev/null | bench/fold-stacks.py --app "$app_pid" --postmaster "$pm" --pg-pids "$out/perf-$1.pgpids" >"$out/perf-$1.folded"
  echo "profile: $out/perf-$1.folded ($(wc -l <"$out/perf-$1.folded") stacks); by process:"
  awk '{n = $NF; split($1, f, ";"); s[f[1]] += n; t += n} END {for (k in s) printf "  %-40s %6.1f%%\n", k, 100 * s[k] / t}' "$out/perf-$1.folded" | sort -k2 -nr | head -n 12
}

scale_for() { if [ "$1" -le 220 ]; then echo city; elif [ "$1" -le 1000 ]; then echo province; else echo nation; fi; }

case "$mode" in
  throughput-pg)
    mines=${2:-1000}; rounds=${3:-${ROUNDS:-12}}; scale=$(scale_for "$mines")
    build; start_pg; : >"$out/app.log"
    start_app Postgres "$scale"
    log "setup: upload keys, CDDY/RYQY/RYXX for $mines mines × 300 points"
    measure_start
    sim setup --url "$url" --user "$([ "$scale" = city ] && echo city || echo "$scale")" --mines "$mines" --points 300 --keys "$out/keys.tsv"
    measure_end 0
    # A running system's tables have statistics (autovacuum analyses a table within a minute of it growing by a tenth); this
    # fresh database's grew from nothing during the setup, and the plans its pooled connections cached then would persist
    # through the measured half minute (docs/PERFORMANCE.md, "a fresh database's plans").
    psql_q "TRUNCATE readings; ANALYZE; CHECKPOINT"
    log "end to end through the app: $mines mines × 300 points × $rounds rounds"
    pg_statements_reset
    measure_start
    profile_start e2e-pg
    sim_timed throughput --url "$url" --keys "$out/keys.tsv" --mines "$mines" --points 300 --rounds "$rounds" --concurrency "${CONCURRENCY:-32}" \
      --app-pid "$app_pid" --out "$out/e2e-pg.txt"
    measure_end "$(sim_cpu)"
    profile_end e2e-pg
    pg_statements_report
    kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=
    log "the ceiling: raw COPY of the same rows (app stopped)"
    measure_start
    sim_timed rawcopy --pg "$pg_cs" --e2e "$out/e2e-pg.txt"
    measure_end "$(sim_cpu)"
    echo "readings table: $(psql_q "SELECT pg_size_pretty(pg_total_relation_size('readings_p'||to_char(now(),'YYYYMM')))") (this month's partition with its index)"
    ;;
  throughput-sqlite)
    mines=${2:-220}; rounds=${3:-${ROUNDS:-10}}
    build; : >"$out/app.log"
    start_app Sqlite city
    log "setup: upload keys, CDDY/RYQY/RYXX for $mines mines × 300 points"
    measure_start
    sim setup --url "$url" --mines "$mines" --points 300 --keys "$out/keys-sqlite.tsv"
    measure_end 0
    log "end to end through the app (SQLite): $mines mines × 300 points × $rounds rounds"
    measure_start
    profile_start e2e-sqlite
    sim_timed throughput --url "$url" --keys "$out/keys-sqlite.tsv" --mines "$mines" --points 300 --rounds "$rounds" --concurrency "${CONCURRENCY:-32}" \
      --app-pid "$app_pid" --out "$out/e2e-sqlite.txt"
    measure_end "$(sim_cpu)"
    profile_end e2e-sqlite
    ;;
  national)
    duration=${2:-600}; mines=${3:-0}
    build; start_pg; : >"$out/app.log"
    start_app Postgres nation
    log "setup: upload keys, CDDY/RYQY/RYXX for ${mines/#0/all 4,300} mines × 300 points"
    measure_start
    sim setup --url "$url" --user nation --mines "$mines" --points 300 --keys "$out/keys-nation.tsv"
    measure_end 0
    psql_q "ANALYZE"  # as in throughput-pg: the statistics a running system has
    log "national load for $duration s"
    measure_start
    sim_timed load --url "$url" --user nation --keys "$out/keys-nation.tsv" --points 300 --duration "$duration" --interval 30 --probes 20 --probe-every 2 \
      --concurrency "${CONCURRENCY:-32}" --app-pid "$app_pid"
    measure_end "$(sim_cpu)"
    echo "readings stored: $(psql_q "SELECT COUNT(*) FROM readings")"
    ;;
  national-setup)
    mines=${2:-0}
    build; start_pg; : >"$out/app.log"
    start_app Postgres nation
    log "national setup: upload keys, CDDY/RYQY/RYXX for ${mines/#0/all 4,300} mines × 300 points"
    measure_start
    profile_start setup
    sim setup --url "$url" --user nation --mines "$mines" --points 300 --keys "$out/keys-nation.tsv"
    measure_end 0
    profile_end setup
    echo "points: $(psql_q "SELECT COUNT(*) FROM monitoring_points"); 阈值宽于规程 alarms: $(psql_q "SELECT COUNT(*) FROM alarms WHERE type = 7")"
    ;;
  crash)
    engine=${2:-pg}
    build; : >"$out/app.log"
    if [ "$engine" = pg ]; then start_pg; provider=Postgres; verify=(--pg "$pg_cs"); else provider=Sqlite; verify=(--sqlite "Data Source=$data_dir/minerisk.db"); fi
    start_app "$provider" city
    sim setup --url "$url" --mines 50 --points 100 --keys "$out/keys-crash.tsv"
    log "streaming uploads; SIGKILL the app after 10 s, restart it 3 s later"
    sim stream --url "$url" --keys "$out/keys-crash.tsv" --mines 50 --points 100 --duration 40 --acks "$out/acks.tsv" &
    stream_pid=$!
    sleep 10
    kill -9 "$app_pid"; echo "killed app pid $app_pid (SIGKILL) with $(wc -l <"$out/acks.tsv") acknowledgements logged"
    wait "$app_pid" 2>/dev/null || true
    sleep 3
    start_app "$provider" city
    wait "$stream_pid"
    sleep 5 # let the applier finish what it acknowledged
    sim verify "${verify[@]}" --acks "$out/acks.tsv"
    ;;
  *)
    echo "usage: bench/monitoring.sh throughput-pg [mines] [rounds]|throughput-sqlite [mines] [rounds]|national [seconds] [mines]|national-setup [mines]|crash [pg|sqlite]" >&2; exit 2;;
esac
