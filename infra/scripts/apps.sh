# Start/stop the three services as background processes. Sourced by infra/balai.

API_PORT="${API_PORT:-3000}"
LIVE_PORT="${LIVE_PORT:-3001}"
WORKER_HEALTH_PORT="${WORKER_HEALTH_PORT:-3002}"

start_app() { # name entry port
  local name="$1" entry="$2" port="$3"
  if pid_alive "$RUN/$name.pid"; then log "$name: already running"; return 0; fi
  port_open 127.0.0.1 "$port" && die "port $port is taken: stop what uses it or set the ${name^^}_PORT variable"
  nohup node "$entry" >>"$LOGS/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

wait_healthy() { # name url
  local i
  for ((i = 0; i < 300; i++)); do
    if curl -fsS "$2" >/dev/null 2>&1; then log "$1: healthy ($2)"; return 0; fi
    pid_alive "$RUN/$1.pid" || { tail -20 "$LOGS/$1.log"; die "$1 exited during start-up (log: .balai/logs/$1.log)"; }
    sleep 0.2
  done
  tail -20 "$LOGS/$1.log"; die "$1 did not become healthy at $2"
}

start_apps() {
  export API_PORT LIVE_PORT WORKER_HEALTH_PORT
  start_app api dist/apps/api/src/main.js "$API_PORT"
  start_app live dist/apps/live/src/main.js "$LIVE_PORT"
  start_app worker dist/apps/worker/src/main.js "$WORKER_HEALTH_PORT"
  wait_healthy api "http://127.0.0.1:$API_PORT/api/health"
  wait_healthy live "http://127.0.0.1:$LIVE_PORT/health"
  wait_healthy worker "http://127.0.0.1:$WORKER_HEALTH_PORT/health"
}

stop_apps() {
  for name in worker live api; do stop_pidfile "$RUN/$name.pid" "$name"; done
}

seed_demo() {
  if [ -f infra/seed/seed.ts ]; then
    log "seeding demo data"
    node -r @swc-node/register infra/seed/seed.ts | tee "$STATE/demo-logins.txt"
  else
    log "no seed script yet (infra/seed/seed.ts): starting with an empty database"
  fi
}

print_welcome() {
  cat <<TXT

  Balai is running.
    Web app (participants, trainers, admins):  http://localhost:$API_PORT/
    API and its OpenAPI docs:                  http://localhost:$API_PORT/api/docs
    Live service (socket.io, mediasoup):       http://localhost:$LIVE_PORT/health
    Worker (certificates, notifications):      http://localhost:$WORKER_HEALTH_PORT/health
    Logs: .balai/logs/    Stop: infra/balai down    Wipe data: infra/balai reset
TXT
  if [ -s "$STATE/demo-logins.txt" ]; then echo; echo "  Demo logins:"; sed 's/^/    /' "$STATE/demo-logins.txt"; fi
}
