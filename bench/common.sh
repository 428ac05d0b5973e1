# Shared by bench/mines.sh and bench/stability.sh (sourced, not run): tools, the app and a PostgreSQL cluster of the
# bench's own, started on nation demo data and stopped again, and the machine's other work.
# The caller sets: out (results folder), app (publish folder), tool (bench tool folder), app_name (the launcher's copy),
# databases (the databases it will use).

log() { printf '\n== %s\n' "$*"; }
die() { printf '\n!! %s\n' "$*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------------------------------
# $1: extra apt packages the caller needs (e.g. "wrk"), beside PostgreSQL when the databases include it.
install_tools() {
  local -a need_apt=()
  local p
  for p in $1; do command -v "$p" >/dev/null 2>&1 || need_apt+=("$p"); done
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ " $databases " == *" postgres "* ]] && ! { [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ]; }; then need_apt+=(postgresql); fi
  if [ ${#need_apt[@]} -gt 0 ]; then
    log "installing ${need_apt[*]} (apt)"
    [ "$(id -u)" -eq 0 ] || die "需要 root 权限安装：${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
}

free_port() { local p=$1; while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
hz=$(getconf CLK_TCK)
# CPU ticks (user + system) of the given processes; ticks of the whole machine (busy, total).
ticks() { local p s=0; for p in "$@"; do [ -r "/proc/$p/stat" ] && s=$((s + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}'))); done; echo "$s"; }
machine() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
pg_pids() { [ -n "${pg_dir:-}" ] && [ -r "$pg_dir/data/postmaster.pid" ] || return 0; local m; m=$(head -n 1 "$pg_dir/data/postmaster.pid"); echo "$m" $(pgrep -P "$m" || true); }
rss_mb() { awk '/^VmRSS:/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Waits until other work on the machine (another build, tests) is quiet: the figures are meant for an idle 2-core box.
# BENCH_QUIET_WAIT (or the older MINES_BENCH_QUIET_WAIT): how long to wait at most, in seconds (default 300).
wait_quiet() {
  local a b busy i limit=${BENCH_QUIET_WAIT:-${MINES_BENCH_QUIET_WAIT:-300}}
  for i in $(seq $((limit / 5))); do
    a=($(machine)); sleep 5; b=($(machine))
    busy=$(( (b[0] - a[0]) * 100 / (b[1] - a[1] + 1) ))
    if [ "$busy" -lt 15 ]; then echo "machine: ${busy}% busy before the run (loadavg $(loadavg))"; return 0; fi
    [ "$i" -eq 1 ] && echo "machine ${busy}% busy with other work; waiting up to $limit s for it to finish"
  done
  echo "WARNING: the machine was still ${busy}% busy with other work (loadavg $(loadavg)); figures below are contended"
}

# --- build -------------------------------------------------------------------------------------------------------
build() {
  log "publishing the app (Release, ReadyToRun) and building the bench tool"
  echo "commit $(git rev-parse --short HEAD)$(git status --porcelain -- src | grep -q . && echo ' + uncommitted changes under src/')," \
    "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo)"
  dotnet publish src/MineRisk.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$app" --nologo -v quiet >"$out/build.log" 2>&1 ||
    { tail -n 30 "$out/build.log"; die "the app did not build (log: $out/build.log)"; }
  dotnet build bench/MineRisk.Bench -c Release -o "$tool" --nologo -v quiet >>"$out/build.log" 2>&1 ||
    { tail -n 30 "$out/build.log"; die "the bench tool did not build (log: $out/build.log)"; }
  # The app is started through its published launcher (apphost) copied under another name, so that a
  # `pkill -f MineRisk.Web` by other work on the shared machine does not stop it halfway.
  cp "$app/MineRisk.Web" "$app/$app_name"
}
bench() { dotnet "$tool/MineRisk.Bench.dll" "$@"; }

# --- lifetime of what the bench starts -------------------------------------------------------------------------------
app_pid=""
data=""
pg_dir=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  [ -n "$data" ] && rm -rf "$data"
  if [ -n "$pg_dir" ]; then
    run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A throw-away PostgreSQL cluster as scripts/test starts it, but durable (fsync on, the defaults) with more shared buffers.
start_postgres() {
  pg_dir=$(mktemp -d /tmp/minerisk-bench-pg.XXXXXX)
  pg_port=$(free_port 55500)
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home "$pg_dir" postgres
    chown postgres "$pg_dir"
  fi
  run_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c shared_buffers=256MB" start >/dev/null || die "PostgreSQL did not start"
  "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE minerisk_bench" >/dev/null
  echo "$("$pg_bin/postgres" --version) on 127.0.0.1:$pg_port (fsync on, shared_buffers=256MB, otherwise defaults)"
}

# Starts the app on an empty database with nation demo data, waits until it has seeded and its first deadline sweep is
# over, then stops it and starts it again on that database: the figures are those of a serving instance, not of the
# process that generated a million rows (whose garbage the GC keeps). Sets base, connection, app_pid, data.
start_app() { # $1 = sqlite|postgres
  data=$(mktemp -d /tmp/minerisk-bench-data.XXXXXX)
  port=$(free_port 5290)
  base="http://127.0.0.1:$port"
  app_env=(MINERISK_Data__Directory="$data" MINERISK_Demo__Scale=nation ASPNETCORE_ENVIRONMENT=Production)
  if [ "$1" = postgres ]; then
    connection="Host=127.0.0.1;Port=$pg_port;Database=minerisk_bench;Username=postgres"
    app_env+=(MINERISK_Database__Provider=Postgres "MINERISK_Database__ConnectionString=$connection")
  else
    connection="Data Source=$data/minerisk.db"
  fi
  local started=$SECONDS
  launch "$1" seed
  echo "started and seeded in $((SECONDS - started)) s (pid $app_pid, $base); $(rss_mb "$app_pid") MB resident, most $(awk '/^VmHWM:/ {printf "%d", $2 / 1024}' "/proc/$app_pid/status") MB"
  wait_idle
  kill "$app_pid"; wait "$app_pid" 2>/dev/null || true
  started=$SECONDS
  launch "$1" serve
  echo "restarted on the seeded database in $((SECONDS - started)) s (pid $app_pid): $(rss_mb "$app_pid") MB resident"
  wait_idle
}

# Starts the app with app_env and waits for its start line; $2 names the log (app-<db>-<name>.log, also app-<db>.log).
launch() {
  local log="$out/app-$1-$2.log" started=$SECONDS
  env "${app_env[@]}" "$app/$app_name" --urls "$base" --contentRoot "$PWD/$app" >"$log" 2>&1 &
  app_pid=$!
  ln -sf "$(basename "$log")" "$out/app-$1.log"
  until grep -q "(MineRisk) 已启动" "$log"; do
    if ! kill -0 "$app_pid" 2>/dev/null || [ $((SECONDS - started)) -gt 600 ]; then
      tail -n 30 "$log" >&2
      die "the app did not start on $1 (log: $log)"
    fi
    sleep 0.5
  done
  curl -fsS -o /dev/null "$base/health" || die "the app started on $1 but /health does not answer"
}

# The first deadline sweep escalates the demo data's overdue items (minutes on PostgreSQL): measure after it.
wait_idle() {
  local quiet=0 a b started=$SECONDS
  while [ "$quiet" -lt 2 ] && [ $((SECONDS - started)) -lt 900 ]; do
    a=$(ticks "$app_pid"); sleep 5; b=$(ticks "$app_pid")
    if [ $((b - a)) -lt $((hz / 4)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
  done
  echo "idle after $((SECONDS - started)) s more; $(rss_mb "$app_pid") MB resident"
}

stop_app() {
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
  rm -rf "$data"
  data=""
}

alive() { kill -0 "$app_pid" 2>/dev/null || die "the app stopped during the $db run (log: $out/app-$db*.log)"; }

# The postmaster's pid, for the bench tool's accounting of other work ("" on SQLite).
db_pid_args() { [ "$1" = postgres ] && echo --db-pid "$(head -n 1 "$pg_dir/data/postmaster.pid")"; true; }

# The same queries again in steady state: 25 requests of a query in a row before the next (isolated requests pay the idle
# machine's wake-up and cold caches on every one, which raw SQL on an open connection barely does). Its summary lines go
# into summary-<db>.tsv prefixed "steady.". $1 = database; the rest = the bench tool's command and its arguments.
steady_pass() {
  local db=$1
  shift
  log "$db: the same again in steady state (--block 25)"
  bench "$@" --block 25 --pid "$app_pid" $(db_pid_args "$db") --summary "$out/summary-$db.tsv.steady" | tee "$out/bench-$db-steady.txt" || status=2
  sed 's/^/steady./' "$out/summary-$db.tsv.steady" >>"$out/summary-$db.tsv" 2>/dev/null || true
}

# --- summary table -----------------------------------------------------------------------------------------------
get() { [ -f "$out/summary-$2.tsv" ] && awk -F'\t' -v k="$1" '$1 == k {v = $2} END {print v}' "$out/summary-$2.tsv"; }
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {if (v == "") print "-"; else if ((op == "<=" && v + 0 <= t) || (op == ">=" && v + 0 >= t)) print "met"; else print "MISSED"}'; }
fmt() { awk -v v="$1" 'BEGIN {if (v == "") print ""; else if (v ~ /\./) printf (v < 10 ? "%.2f" : "%.1f"), v; else print v}'; }
row() { # $1 label, $2 target text, $3 key, $4 unit, $5 threshold, $6 op
  local line db v
  line=$(printf '%-44s %-14s' "$1" "$2")
  for db in $databases; do
    v=$(fmt "$(get "$3" "$db")")
    if [ -n "$5" ]; then line+=$(printf ' %12s %-6s' "${v:--}${v:+ $4}" "$(verdict "$v" "$5" "$6")"); else line+=$(printf ' %12s %-6s' "${v:--}${v:+ $4}" ""); fi
  done
  echo "$line"
}
header() { local h; h=$(printf '%-44s %-14s' "" "target"); for db in $databases; do h+=$(printf ' %19s' "$db"); done; echo "$h"; }
