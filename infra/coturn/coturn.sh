# coturn for `infra/balai up` (the demo): Debian's turnserver on this host with
# the shared-secret REST scheme, so the live service issues short-lived TURN
# credentials (apps/live/src/turn) and no TURN password is ever handed out.
# Sourced by infra/balai after scripts/lib.sh. Never started by tests (they run
# their own private coturn, test/e2e/turn/support/coturn.ts).
#
#   BALAI_TURN=0           do not start coturn
#   BALAI_TURN_IP          address coturn listens and relays on (default 127.0.0.1; set the LAN
#                          address to let phones on the same network relay through it)
#   BALAI_TURN_PORT        TURN over UDP and TCP (default 3478)
#
# The secret is generated once into .balai/data/coturn/secret. The live service
# gets TURN_SECRET and TURN_URLS from here unless they are already set.

TURN_IP="${BALAI_TURN_IP:-127.0.0.1}"
TURN_PORT="${BALAI_TURN_PORT:-3478}"

start_coturn() {
  if [ "${BALAI_TURN:-1}" = "0" ]; then log "coturn: skipped (BALAI_TURN=0)"; return 0; fi
  if [ -n "${TURN_URLS:-}" ]; then log "coturn: using TURN_URLS"; return 0; fi
  command -v turnserver >/dev/null || apt_ensure coturn
  local dir="$DATA/coturn"
  mkdir -p "$dir"
  [ -s "$dir/secret" ] || (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/secret")
  export TURN_SECRET; TURN_SECRET="$(cat "$dir/secret")"
  export TURN_URLS="turn:$TURN_IP:$TURN_PORT?transport=udp,turn:$TURN_IP:$TURN_PORT?transport=tcp"
  if pid_alive "$RUN/coturn.pid"; then log "coturn: already running"; return 0; fi
  port_open "$TURN_IP" "$TURN_PORT" && die "port $TURN_PORT is taken on $TURN_IP: stop what uses it, set BALAI_TURN_PORT, or BALAI_TURN=0"
  # The production settings (infra/coturn/turnserver.conf) minus its user and
  # peer restrictions, plus REST auth. The demo's SFU listens on loopback, so
  # relaying to loopback peers is allowed here (and only here).
  {
    grep -v -E '^(lt-cred-mech|use-auth-secret|realm=|denied-peer-ip=|listening-port=|tls-listening-port=)' "$ROOT/infra/coturn/turnserver.conf"
    echo "listening-ip=$TURN_IP"
    echo "relay-ip=$TURN_IP"
    echo "listening-port=$TURN_PORT"
    echo "no-tls"
    echo "no-dtls"
    echo "use-auth-secret"
    echo "static-auth-secret=$TURN_SECRET"
    echo "realm=balai.local"
    echo "allow-loopback-peers"
    echo "userdb=$dir/turndb"
    echo "pidfile=$RUN/coturn.turnserver.pid"
    echo "log-file=$LOGS/coturn.log"
    echo "simple-log"
  } >"$dir/turnserver.conf"
  chmod 600 "$dir/turnserver.conf"
  nohup turnserver -c "$dir/turnserver.conf" >>"$LOGS/coturn.log" 2>&1 &
  echo $! >"$RUN/coturn.pid"
  wait_port "$TURN_IP" "$TURN_PORT" coturn 15
  log "coturn: TURN on $TURN_IP:$TURN_PORT (UDP and TCP), credentials issued by the live service"
}

stop_coturn() { stop_pidfile "$RUN/coturn.pid" coturn; }
