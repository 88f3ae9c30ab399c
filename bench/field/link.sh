#!/usr/bin/env bash
# The weak link of `npm run bench:field`: a network namespace (the "phone")
# joined to this host by a veth pair, shaped like a mobile link.
#
#   link.sh up      NS HOST_IP PHONE_IP     create the namespace and the veth pair (/30)
#   link.sh shape   NS RATE_KBIT            tbf both ways: phone egress (upload) and, through an
#                                           ifb, phone ingress (download); NFQUEUE rules for the
#                                           delay/loss program (queue 0 = download, 1 = upload)
#   link.sh unshape NS                      remove qdiscs and NFQUEUE rules (an unshaped link)
#   link.sh down    NS                      delete the namespace (the veth pair and ifb go with it)
#
# Everything lives inside the namespace, so nothing on the host changes but the
# host end of the veth pair; traffic only ever flows between this host and the
# namespace. This kernel has no sch_netem: delay and loss come from
# netem-queue.c through the NFQUEUE rules added here.
set -euo pipefail

cmd="${1:?command}"
NS="${2:?namespace}"
VETH_HOST="${NS}h"
VETH_PHONE="${NS}p"
IFB="${NS}i"
in_ns() { ip netns exec "$NS" "$@"; }

# iptables-nft needs nft's xt compatibility for NFQUEUE; fall back to the legacy backend.
IPT=iptables
pick_iptables() {
  if ! in_ns iptables -w -L INPUT -n >/dev/null 2>&1; then IPT=iptables-legacy; fi
}

case "$cmd" in
  up)
    HOST_IP="${3:?host ip}"
    PHONE_IP="${4:?phone ip}"
    ip netns add "$NS"
    ip link add "$VETH_HOST" type veth peer name "$VETH_PHONE"
    ip link set "$VETH_PHONE" netns "$NS"
    ip addr add "$HOST_IP/30" dev "$VETH_HOST"
    ip link set "$VETH_HOST" up
    in_ns ip link set lo up
    in_ns ip addr add "$PHONE_IP/30" dev "$VETH_PHONE"
    in_ns ip link set "$VETH_PHONE" up
    in_ns ip route add default via "$HOST_IP"
    ;;
  shape)
    RATE="${3:?rate kbit/s}"
    pick_iptables
    # burst: two full packets (a phone modem sends no bigger bursts); queue: 250 ms at the rate,
    # about what a carrier's buffer holds before it drops.
    burst=3200
    in_ns tc qdisc replace dev "$VETH_PHONE" root tbf rate "${RATE}kbit" burst "$burst" latency 250ms
    in_ns ip link add "$IFB" type ifb 2>/dev/null || true
    in_ns ip link set "$IFB" up
    in_ns tc qdisc replace dev "$IFB" root tbf rate "${RATE}kbit" burst "$burst" latency 250ms
    in_ns tc qdisc replace dev "$VETH_PHONE" ingress
    in_ns tc filter replace dev "$VETH_PHONE" parent ffff: protocol all prio 1 u32 match u32 0 0 \
      action mirred egress redirect dev "$IFB"
    in_ns $IPT -w -A INPUT -i "$VETH_PHONE" -j NFQUEUE --queue-num 0
    in_ns $IPT -w -A OUTPUT -o "$VETH_PHONE" -j NFQUEUE --queue-num 1
    ;;
  unshape)
    pick_iptables
    in_ns tc qdisc del dev "$VETH_PHONE" root 2>/dev/null || true
    in_ns tc qdisc del dev "$VETH_PHONE" ingress 2>/dev/null || true
    in_ns ip link del "$IFB" 2>/dev/null || true
    in_ns $IPT -w -F INPUT
    in_ns $IPT -w -F OUTPUT
    ;;
  down)
    ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    ip link del "$VETH_HOST" 2>/dev/null || true
    ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
