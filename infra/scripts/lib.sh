# Shared helpers for infra/balai. Sourced, not run.
# State lives in .balai/ inside the checkout (data, logs, pids, generated secrets): `infra/balai reset`
# wipes its data. BALAI_STATE_DIR moves it (tests use a temporary one).
# Build caches live under ${XDG_CACHE_HOME:-$HOME/.cache}/balai and are only ever an optimisation.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="$(mkdir -p "${BALAI_STATE_DIR:-$ROOT/.balai}" && cd "${BALAI_STATE_DIR:-$ROOT/.balai}" && pwd)"
# Every process started from here carries this in its environment. `down` stops a pid only when it
# is marked so (see pid_ours): never a stale pidfile's new owner, nor another checkout's server that
# happens to listen on the port this shell was told about.
export BALAI_OWNER="$STATE"
DATA="$STATE/data"
LOGS="$STATE/logs"
RUN="$STATE/run"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/balai"

FERRETDB_VERSION="v1.24.2"
LOCAL_REDIS_PORT="${BALAI_REDIS_PORT:-6390}"
LOCAL_MONGO_PORT="${BALAI_MONGO_PORT:-27027}"
LOCAL_PG_PORT="${BALAI_PG_PORT:-5490}"
# FerretDB's backend when no MONGODB_URI is set (BALAI_DB_BACKEND overrides; see services.sh).
DEFAULT_DB_BACKEND="postgresql"

# Runtime and build packages from Debian (never a browser or binary download).
APT_RUNTIME=(build-essential python3 redis-server chromium fonts-noto-core fonts-dejavu-core poppler-utils
  libssl3 libuv1 libsrtp2-1 libusrsctp2 libabsl20220623 python3 procps iproute2 curl ca-certificates
  coturn openssl iptables libnetfilter-queue-dev postgresql ffmpeg)  # TURN tests and demo; bench:field (NFQUEUE delay/loss); ffmpeg: recordings
MEDIASOUP_BUILD_APT=(build-essential meson ninja-build pkg-config libssl-dev libuv1-dev libsrtp2-dev
  libusrsctp-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler)

mkdir -p "$DATA" "$LOGS" "$RUN"

log() { printf '\033[1;34m[balai]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[balai] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt-get install only what is missing; `apt-get update` only if something is.
apt_ensure() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing system packages (${missing[*]}) and no apt-get to install them"
  log "installing from apt: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$LOGS/apt.log" 2>&1 || { tail -20 "$LOGS/apt.log"; die "apt-get update failed"; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOGS/apt.log" 2>&1 \
    || { tail -20 "$LOGS/apt.log"; die "apt-get install failed (see $LOGS/apt.log)"; }
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_port() { # host port name [seconds]
  local i
  for ((i = 0; i < ${4:-30} * 10; i++)); do
    port_open "$1" "$2" && return 0
    sleep 0.1
  done
  die "$3 did not start on $1:$2 (logs in $LOGS)"
}

# The pidfile's process is alive and was started by this checkout: its environment has our
# BALAI_OWNER, or (servers started before that marker existed) its working directory or command
# line lies in our state directory.
pid_ours() { # pidfile
  [ -f "$1" ] || return 1
  local pid; pid="$(cat "$1" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "BALAI_OWNER=$STATE"; then return 0; fi
  case "$(readlink "/proc/$pid/cwd" 2>/dev/null)/" in "$STATE"/*) return 0 ;; esac
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STATE/"
}
pid_alive() { pid_ours "$1"; }

stop_pidfile() { # pidfile name
  if pid_ours "$1"; then
    local pid; pid="$(cat "$1")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    log "stopped $2"
  elif [ -f "$1" ]; then
    log "$2: pidfile $(basename "$1") is stale or names a process this checkout did not start; left alone"
  fi
  rm -f "$1" "${1%.pid}.port"
}
