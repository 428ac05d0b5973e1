#!/usr/bin/env bash
# Monitoring (监测预警) benchmarks, DESIGN §4 and issue 6 "Done when". Figures go to docs/PERFORMANCE.md.
#
#   bench/monitoring.sh throughput-pg      province demo data (1,000 mines) × 300 points; CDSS PUT as fast as the app takes them,
#                                          end to end (parse, check, archive, acknowledge, alarm, durable store), then the raw
#                                          COPY of the same rows into the same table in the same run (the ceiling)
#   bench/monitoring.sh throughput-sqlite  the same on SQLite, with the city demo data (220 mines)
#   bench/monitoring.sh national [600]     nation demo data: 4,300 mines × 300 points = 1.3 M points every 30 s ≈ 43,000
#                                          readings/s for 600 s (default), with an alarm-latency probe every 2 s
#   bench/monitoring.sh crash [pg|sqlite]  SIGKILL the app during a stream of uploads, restart it, verify every acknowledged
#                                          file applied exactly once and no reading stored twice
#
# PostgreSQL runs in its own throw-away cluster with durable settings (fsync and synchronous_commit on: "durable store"
# means what it says); the app is published with ReadyToRun as deployed. Everything is under bench/results/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-throughput-pg}
out=bench/results/monitoring
mkdir -p "$out"
app_dir=bench/results/monitoring-app
port=5180
url=http://127.0.0.1:$port
pg_port=55950
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir=$(mktemp -d /tmp/minerisk-bench-pg.XXXXXX)
data_dir=$(mktemp -d /tmp/minerisk-bench-data.XXXXXX)
app_pid=
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_cs="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=minerisk;Maximum Pool Size=60"

cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir" "$data_dir"
}
trap cleanup EXIT

log() { printf '\n== %s (load average %s)\n' "$*" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

start_pg() {
  [ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
  run_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # Durable (fsync, synchronous_commit on); memory and WAL sized so checkpoints do not interrupt a run of a few minutes.
  run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir \
    -c max_connections=200 -c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min -c wal_buffers=64MB" start >/dev/null
  run_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE minerisk" >/dev/null
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on port $pg_port, fsync on, synchronous_commit on"
}

psql_q() { run_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d minerisk -qAtc "$1"; }

build() {
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
    dotnet "$app_dir/MineRisk.Web.dll" --urls "$url" --contentRoot "$PWD/$app_dir" >>"$out/app.log" 2>&1 &
  app_pid=$!
  until curl -fs -o /dev/null "$url/health"; do
    kill -0 "$app_pid" 2>/dev/null || { echo "the app exited during start-up, see $out/app.log" >&2; tail -20 "$out/app.log"; exit 1; }
    sleep 0.5
  done
  echo "app pid $app_pid ($provider, demo scale $scale) on $url"
}

case "$mode" in
  throughput-pg)
    build; start_pg; : >"$out/app.log"
    start_app Postgres province
    log "setup: upload keys, CDDY/RYQY/RYXX for 1,000 mines × 300 points"
    sim setup --url "$url" --user province --mines 1000 --points 300 --keys "$out/keys.tsv"
    psql_q "TRUNCATE readings; CHECKPOINT"
    log "end to end through the app"
    sim throughput --url "$url" --keys "$out/keys.tsv" --mines 1000 --points 300 --rounds "${ROUNDS:-12}" --concurrency "${CONCURRENCY:-16}" \
      --app-pid "$app_pid" --out "$out/e2e-pg.txt"
    kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=
    log "the ceiling: raw COPY of the same rows (app stopped)"
    sim rawcopy --pg "$pg_cs" --e2e "$out/e2e-pg.txt"
    echo "readings table: $(psql_q "SELECT pg_size_pretty(pg_total_relation_size('readings_p'||to_char(now(),'YYYYMM')))") (this month's partition with its index)"
    ;;
  throughput-sqlite)
    build; : >"$out/app.log"
    start_app Sqlite city
    log "setup: upload keys, CDDY/RYQY/RYXX for 220 mines × 300 points"
    sim setup --url "$url" --points 300 --keys "$out/keys-sqlite.tsv"
    log "end to end through the app (SQLite)"
    sim throughput --url "$url" --keys "$out/keys-sqlite.tsv" --mines 220 --points 300 --rounds "${ROUNDS:-10}" --concurrency "${CONCURRENCY:-16}" \
      --app-pid "$app_pid" --out "$out/e2e-sqlite.txt"
    ;;
  national)
    duration=${2:-600}
    build; start_pg; : >"$out/app.log"
    start_app Postgres nation
    log "setup: upload keys, CDDY/RYQY/RYXX for 4,300 mines × 300 points (1.3 M points)"
    sim setup --url "$url" --user nation --points 300 --keys "$out/keys-nation.tsv"
    log "national load for $duration s"
    sim load --url "$url" --user nation --keys "$out/keys-nation.tsv" --points 300 --duration "$duration" --interval 30 --probes 20 --probe-every 2 \
      --concurrency "${CONCURRENCY:-32}" --app-pid "$app_pid"
    echo "readings stored: $(psql_q "SELECT COUNT(*) FROM readings")"
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
    echo "usage: bench/monitoring.sh throughput-pg|throughput-sqlite|national [seconds]|crash [pg|sqlite]" >&2; exit 2;;
esac
