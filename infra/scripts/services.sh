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

# --- MongoDB: MONGODB_URI if set, else a local mongod, else FerretDB (SQLite) on loopback.
start_mongo() {
  if [ -n "${MONGODB_URI:-}" ]; then log "MongoDB: using MONGODB_URI"; return 0; fi
  export MONGODB_URI="mongodb://127.0.0.1:$LOCAL_MONGO_PORT/balai"
  if port_open 127.0.0.1 "$LOCAL_MONGO_PORT"; then
    if pid_ours "$RUN/mongo.pid"; then log "MongoDB protocol: already running on :$LOCAL_MONGO_PORT"
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
  local bin; bin="$(ferretdb_bin)"
  mkdir -p "$DATA/ferretdb" "$DATA/ferretdb-state"
  nohup "$bin" --handler=sqlite --sqlite-url="file:$DATA/ferretdb/" \
    --listen-addr="127.0.0.1:$LOCAL_MONGO_PORT" --state-dir="$DATA/ferretdb-state" \
    --telemetry=disable --debug-addr=- --log-level=warn >"$LOGS/ferretdb.log" 2>&1 &
  echo $! >"$RUN/mongo.pid"
  wait_port 127.0.0.1 "$LOCAL_MONGO_PORT" FerretDB 60
  echo "$LOCAL_MONGO_PORT" >"$RUN/mongo.port"
  log "MongoDB protocol: FerretDB $FERRETDB_VERSION (SQLite) on 127.0.0.1:$LOCAL_MONGO_PORT (data in .balai/data/ferretdb)"
}

# By pid, never by port: SIGTERM makes redis-server flush its append-only file and exit.
stop_services() {
  stop_pidfile "$RUN/redis.pid" Redis
  stop_pidfile "$RUN/mongo.pid" "MongoDB-protocol server"
}
