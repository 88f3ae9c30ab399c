# Redis and the MongoDB-protocol server. Sourced by infra/balai.

# --- Redis: REDIS_URL if set, else redis-server from apt on loopback.
start_redis() {
  if [ -n "${REDIS_URL:-}" ]; then log "Redis: using REDIS_URL"; return 0; fi
  export REDIS_URL="redis://127.0.0.1:$LOCAL_REDIS_PORT"
  if port_open 127.0.0.1 "$LOCAL_REDIS_PORT"; then
    if pid_ours "$RUN/redis.pid"; then log "Redis: already running on :$LOCAL_REDIS_PORT"
    else log "Redis: using the server already on :$LOCAL_REDIS_PORT (not started here; 'down' leaves it alone)"; fi
    return 0
  fi
  command -v redis-server >/dev/null || apt_ensure redis-server
  mkdir -p "$DATA/redis"
  redis-server --bind 127.0.0.1 --port "$LOCAL_REDIS_PORT" --dir "$DATA/redis" \
    --appendonly yes --save '' --daemonize yes --pidfile "$RUN/redis.pid" \
    --logfile "$LOGS/redis.log" >/dev/null
  wait_port 127.0.0.1 "$LOCAL_REDIS_PORT" Redis
  echo "$LOCAL_REDIS_PORT" >"$RUN/redis.port"
  log "Redis: started on 127.0.0.1:$LOCAL_REDIS_PORT (data in .balai/data/redis)"
}

# --- FerretDB: built once from its Go module, cached by version outside the checkout.
# `go install ...@version` alone builds a binary that panics at start: the module
# zip lacks build/version/version.txt (made by FerretDB's own release tooling),
# so we build from a copy of the module source with that file written.
ferretdb_bin() {
  local dir="$CACHE/ferretdb-$FERRETDB_VERSION"
  if [ ! -x "$dir/ferretdb" ] || ! "$dir/ferretdb" --version >/dev/null 2>&1; then
    command -v go >/dev/null || die "no MongoDB server: set MONGODB_URI, put mongod on PATH, or install Go to build FerretDB"
    log "building FerretDB $FERRETDB_VERSION from the Go module proxy (first time only, a few minutes)"
    mkdir -p "$dir"
    local src tmp
    src="$(cd /tmp && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')" \
      || die "could not download the FerretDB module"
    tmp="$(mktemp -d)"
    cp -r "$src/." "$tmp/" && chmod -R u+w "$tmp"
    echo "$FERRETDB_VERSION" >"$tmp/build/version/version.txt"
    echo "balai-source-build" >"$tmp/build/version/package.txt"
    (cd "$tmp" && go build -trimpath -o "$dir/ferretdb" ./cmd/ferretdb) >"$LOGS/ferretdb-build.log" 2>&1 \
      || { tail -20 "$LOGS/ferretdb-build.log"; rm -rf "$tmp"; die "FerretDB build failed"; }
    rm -rf "$tmp"
  fi
  echo "$dir/ferretdb"
}

# --- PostgreSQL for FerretDB's PostgreSQL backend: Debian's `postgresql` from apt, a private cluster in
# .balai/data/postgresql (initdb + pg_ctl, no system service), on 127.0.0.1:$LOCAL_PG_PORT only, a password
# generated once (.balai/data/postgresql.password). PostgreSQL refuses to run as root: as root the cluster
# belongs to the `postgres` system user that the package creates.
pg_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

# Runs a PostgreSQL server program as the cluster's owner (ourselves, or `postgres` when we are root).
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- env BALAI_OWNER="$BALAI_OWNER" "$@"; else "$@"; fi
}

pg_url() { # database
  echo "postgres://balai:$(cat "$DATA/postgresql.password")@127.0.0.1:$LOCAL_PG_PORT/$1"
}

# The cluster lives in .balai/data/postgresql. As root its owner is `postgres`, which must reach it through
# the checkout's path: when a parent directory is private (a clone under /root, say) it lives in
# /var/tmp/balai-postgresql-<hash of this state dir> instead, still this checkout's own.
pg_datadir() {
  if [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$DATA" 2>/dev/null; then echo "$DATA/postgresql"
  else echo "/var/tmp/balai-postgresql-$(echo "$STATE" | sha1sum | cut -c1-12)"; fi
}

start_postgres() {
  local pgdata bin
  pgdata="$(pg_datadir)"
  if pid_ours "$RUN/postgres.pid"; then log "PostgreSQL: already running on :$(cat "$RUN/postgres.port")"; return 0; fi
  if port_open 127.0.0.1 "$LOCAL_PG_PORT"; then
    die "PostgreSQL: port $LOCAL_PG_PORT is taken by a server this checkout did not start (set BALAI_PG_PORT)"
  fi
  bin="$(pg_bindir)" || { apt_ensure postgresql; bin="$(pg_bindir)"; } || die "PostgreSQL: no initdb after installing postgresql"
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    log "PostgreSQL: creating a cluster in $pgdata"
    rm -rf "$pgdata"
    mkdir -p "$pgdata"
    [ -s "$DATA/postgresql.password" ] || (umask 077 && openssl rand -hex 24 >"$DATA/postgresql.password")
    local pwfile
    pwfile="$(mktemp)"
    cp "$DATA/postgresql.password" "$pwfile"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$pgdata" "$pwfile"
    fi
    chmod 700 "$pgdata"
    pg_as_owner "$bin/initdb" -D "$pgdata" -U balai --pwfile="$pwfile" --auth-local=scram-sha-256 \
      --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$LOGS/postgres-initdb.log" 2>&1 \
      || { rm -f "$pwfile"; tail -20 "$LOGS/postgres-initdb.log"; die "PostgreSQL: initdb failed"; }
    rm -f "$pwfile"
  fi
  local logfile="$LOGS/postgres.log"
  [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$LOGS" 2>/dev/null && logfile="$pgdata/server.log"
  touch "$logfile"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$logfile"
  # Loopback only, no Unix socket (its path could exceed the 107-byte limit inside a deep checkout).
  # Sized for a development machine; fsync stays on (the data is real for `infra/balai up`).
  pg_as_owner "$bin/pg_ctl" -D "$pgdata" -l "$logfile" -w -t 60 \
    -o "-p $LOCAL_PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 -c shared_buffers=256MB -c synchronous_commit=off" \
    start >"$LOGS/postgres-ctl.log" 2>&1 || { tail -20 "$logfile"; die "PostgreSQL did not start"; }
  head -1 "$pgdata/postmaster.pid" >"$RUN/postgres.pid"
  echo "$LOCAL_PG_PORT" >"$RUN/postgres.port"
  PGPASSWORD="$(cat "$DATA/postgresql.password")" "$bin/psql" -h 127.0.0.1 -p "$LOCAL_PG_PORT" -U balai -d postgres \
    -tAc "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'" | grep -q 1 \
    || PGPASSWORD="$(cat "$DATA/postgresql.password")" "$bin/createdb" -h 127.0.0.1 -p "$LOCAL_PG_PORT" -U balai ferretdb \
    || die "PostgreSQL: could not create the ferretdb database"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}'): started on 127.0.0.1:$LOCAL_PG_PORT (data in $pgdata)"
}

# GIN indexes that let FerretDB's reads by _id use an index (infra/postgresql/ferretdb-id-index.sql says why):
# installed at every start, idempotent. It needs a superuser (event trigger): elsewhere it warns and goes on.
index_ferretdb_ids() { # postgresql url
  local bin psql_bin
  bin="$(pg_bindir 2>/dev/null)" && psql_bin="$bin/psql" || psql_bin="$(command -v psql || true)"
  [ -n "$psql_bin" ] || { log "warning: PostgreSQL: no psql, so no _id indexes for FerretDB (reads by _id scan their table)"; return 0; }
  if "$psql_bin" "$1" -v ON_ERROR_STOP=1 -q -f "$ROOT/infra/postgresql/ferretdb-id-index.sql" \
    >"$LOGS/postgres-id-index.log" 2>&1; then
    log "PostgreSQL: FerretDB's reads by _id use GIN indexes (infra/postgresql/ferretdb-id-index.sql)"
  else
    log "warning: PostgreSQL: could not install the _id indexes for FerretDB ($(tail -1 "$LOGS/postgres-id-index.log")); reads by _id scan their table"
  fi
}

# Fast shutdown (SIGINT: clients disconnected, a clean checkpoint), by the pid this checkout started.
stop_postgres() {
  local pidfile="$RUN/postgres.pid"
  if pid_ours "$pidfile"; then
    local pid; pid="$(cat "$pidfile")"
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { kill -QUIT "$pid" 2>/dev/null || true; sleep 1; }
    log "stopped PostgreSQL"
  elif [ -f "$pidfile" ]; then
    log "PostgreSQL: pidfile postgres.pid is stale or names a process this checkout did not start; left alone"
  fi
  rm -f "$pidfile" "${pidfile%.pid}.port"
}

# --- MongoDB: MONGODB_URI if set, else a local mongod, else FerretDB on loopback with the backend
# BALAI_DB_BACKEND names: `postgresql` (default: FerretDB's main backend, equality filters pushed down
# into SQL) over the private cluster above, or over BALAI_POSTGRESQL_URL when that names an existing
# server; or `sqlite` (one file per database in .balai/data/ferretdb, no PostgreSQL needed).
db_backend() {
  local backend="${BALAI_DB_BACKEND:-$DEFAULT_DB_BACKEND}"
  case "$backend" in
    postgresql | sqlite) echo "$backend" ;;
    *) die "BALAI_DB_BACKEND must be postgresql or sqlite (got '$backend')" ;;
  esac
}

start_mongo() {
  if [ -n "${MONGODB_URI:-}" ]; then log "MongoDB: using MONGODB_URI"; return 0; fi
  export MONGODB_URI="mongodb://127.0.0.1:$LOCAL_MONGO_PORT/balai"
  if port_open 127.0.0.1 "$LOCAL_MONGO_PORT"; then
    if pid_ours "$RUN/mongo.pid"; then log "MongoDB protocol: already running on :$LOCAL_MONGO_PORT ($(cat "$RUN/mongo.backend" 2>/dev/null || echo mongod))"
    else log "MongoDB protocol: using the server already on :$LOCAL_MONGO_PORT (not started here; 'down' leaves it alone)"; fi
    return 0
  fi
  if command -v mongod >/dev/null; then
    mkdir -p "$DATA/mongod"
    mongod --bind_ip 127.0.0.1 --port "$LOCAL_MONGO_PORT" --dbpath "$DATA/mongod" \
      --fork --logpath "$LOGS/mongod.log" --pidfilepath "$RUN/mongo.pid" >/dev/null
    wait_port 127.0.0.1 "$LOCAL_MONGO_PORT" mongod 60
    echo "$LOCAL_MONGO_PORT" >"$RUN/mongo.port"
    log "MongoDB: mongod started on 127.0.0.1:$LOCAL_MONGO_PORT"
    return 0
  fi
  local bin backend handler where
  bin="$(ferretdb_bin)"
  backend="$(db_backend)"
  if [ "$backend" = postgresql ]; then
    local pg="${BALAI_POSTGRESQL_URL:-}"
    if [ -z "$pg" ]; then start_postgres; pg="$(pg_url ferretdb)"; where="PostgreSQL on :$LOCAL_PG_PORT"
    else where="PostgreSQL at BALAI_POSTGRESQL_URL"; fi
    handler=(--handler=postgresql "--postgresql-url=$pg")
    index_ferretdb_ids "$pg"
  else
    mkdir -p "$DATA/ferretdb"
    handler=(--handler=sqlite "--sqlite-url=file:$DATA/ferretdb/")
    where="SQLite in .balai/data/ferretdb"
  fi
  mkdir -p "$DATA/ferretdb-state"
  nohup "$bin" "${handler[@]}" \
    --listen-addr="127.0.0.1:$LOCAL_MONGO_PORT" --state-dir="$DATA/ferretdb-state" \
    --telemetry=disable --debug-addr=- --log-level=warn >"$LOGS/ferretdb.log" 2>&1 &
  echo $! >"$RUN/mongo.pid"
  wait_port 127.0.0.1 "$LOCAL_MONGO_PORT" FerretDB 60
  echo "$LOCAL_MONGO_PORT" >"$RUN/mongo.port"
  echo "$backend" >"$RUN/mongo.backend"
  log "MongoDB protocol: FerretDB $FERRETDB_VERSION on 127.0.0.1:$LOCAL_MONGO_PORT ($where)"
}

# By pid, never by port: SIGTERM makes redis-server flush its append-only file and exit.
stop_services() {
  stop_pidfile "$RUN/redis.pid" Redis
  stop_pidfile "$RUN/mongo.pid" "MongoDB-protocol server"
  rm -f "$RUN/mongo.backend"
  stop_postgres # after FerretDB, its only client
}
