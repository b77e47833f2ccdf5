#!/usr/bin/env bash
# Start a throw-away single-node Ceph cluster (1 monitor, 1 in-memory OSD, 1 radosgw) on 127.0.0.1,
# without systemd or cephx, entirely under $CEPH_DIR. Takes about 2 s. Verified on Debian 12 with
# Ceph 16.2.15 (packages radosgw ceph-mon ceph-osd ceph-common).
#
# Prints, when S3 answers, lines a shell can eval and programs can parse:
#   S3_ENDPOINT=http://127.0.0.1:<port>  S3_ACCESS_KEY_ID=...  S3_SECRET_ACCESS_KEY=...  S3_REGION=us-east-1
#   CEPH_DIR=...  CEPH_CONF=...
# The same lines are kept in $CEPH_DIR/endpoint.env. Running it again while the cluster in $CEPH_DIR is alive
# prints them again and starts nothing; a dead cluster left in $CEPH_DIR is cleaned up and started afresh.
#
# Env: CEPH_DIR (required), RGW_PORT / MON_PORT / MON_PORT2 (default: free ports chosen here),
#   S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY, LC_DEBUG_INTERVAL (seconds one lifecycle day lasts; default 10),
#   WATCH_PID (stop the cluster as soon as this process is gone, even if it was killed with SIGKILL).
set -euo pipefail

: "${CEPH_DIR:?set CEPH_DIR to the directory that holds the cluster state (it is created)}"
# Absolute, because the daemons chdir to / and stop-rgw.sh recognises them by this path in their command line.
mkdir -p "$CEPH_DIR" && CEPH_DIR=$(cd "$CEPH_DIR" && pwd -P)
S3_ACCESS_KEY_ID=${S3_ACCESS_KEY_ID:-strata-test-access-key}
S3_SECRET_ACCESS_KEY=${S3_SECRET_ACCESS_KEY:-strata-test-secret-key}
LC_DEBUG_INTERVAL=${LC_DEBUG_INTERVAL:-10}
STORAGE_CLASSES="STANDARD_IA GLACIER"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CONF=$CEPH_DIR/ceph.conf
DAEMONS="client.rgw.a osd.0 mon.a"

log_tails() {
  local f
  for f in "$CEPH_DIR"/log/*; do
    [ -s "$f" ] && { echo "== $f (last 20 lines)" >&2; tail -n 20 "$f" >&2; }
  done
}
# On failure: say what failed, show the logs, and stop whatever was started (the logs stay in $CEPH_DIR).
fail() {
  echo "start-rgw: FAILED: $*" >&2
  log_tails
  KEEP_DIR=1 "$HERE/stop-rgw.sh" >/dev/null 2>&1 || true
  exit 1
}
pid_of() { cat "$CEPH_DIR/run/$1.pid" 2>/dev/null; }
alive() { local pid; pid=$(pid_of "$1") && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A free port in 20000-31999, below Linux's ephemeral range (32768+): a listening check cannot see a port that an
# outgoing connection holds, and such a port then fails to bind. Not one already picked in this run.
pick_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000))
    [[ " ${PICKED:-} " == *" $p "* ]] && continue
    port_in_use "$p" || { PICKED="${PICKED:-} $p"; echo "$p"; return 0; }
  done
  echo "start-rgw: no free port found on 127.0.0.1" >&2; exit 1
}
http_answers() {
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  local status; read -r -t 2 status <&3 || true
  exec 3<&- 3>&-
  [[ $status == HTTP/* ]]
}
# wait_for SECONDS WHAT DAEMON COMMAND...: poll every 0.1 s; fail at once if DAEMON died.
wait_for() {
  local secs=$1 what=$2 daemon=$3; shift 3
  for _ in $(seq 1 $((secs * 10))); do
    "$@" >/dev/null 2>&1 && return 0
    [ "$daemon" = - ] || alive "$daemon" || fail "$daemon exited while waiting for $what"
    sleep 0.1
  done
  fail "timed out after ${secs}s waiting for $what"
}

for bin in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
  command -v "$bin" >/dev/null || {
    echo "start-rgw: $bin is not installed; as root run: apt-get install -y radosgw ceph-mon ceph-osd ceph-common" >&2
    exit 1
  }
done

if [ -e "$CEPH_DIR/endpoint.env" ] && alive mon.a && alive osd.0 && alive client.rgw.a; then
  cat "$CEPH_DIR/endpoint.env"
  exit 0
fi
if [ -e "$CEPH_DIR/run" ]; then
  echo "start-rgw: cleaning up a dead cluster left in $CEPH_DIR" >&2
  "$HERE/stop-rgw.sh"
fi

RGW_PORT=${RGW_PORT:-$(pick_port)}; PICKED="${PICKED:-} $RGW_PORT"
MON_PORT=${MON_PORT:-$(pick_port)}; PICKED="$PICKED $MON_PORT"
MON_PORT2=${MON_PORT2:-$(pick_port)}
for port in "$RGW_PORT" "$MON_PORT" "$MON_PORT2"; do
  if port_in_use "$port"; then
    echo "start-rgw: 127.0.0.1:$port is already in use; choose another port or stop what listens there" >&2
    exit 1
  fi
done

mkdir -p "$CEPH_DIR"/{run,log,mon.a,osd.0,rgw,crash}
FSID=$(cat /proc/sys/kernel/random/uuid)
cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT2,v1:127.0.0.1:$MON_PORT]
mon initial members = a
public network = 127.0.0.0/8
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
# radosgw defaults to secure mode towards the monitor, impossible without cephx: it would hang 300 s on auth.
ms mon client mode = crc
ms client mode = crc
run dir = $CEPH_DIR/run
admin socket = $CEPH_DIR/run/\$name.asok
pid file = $CEPH_DIR/run/\$name.pid
log file = $CEPH_DIR/log/\$name.log
log to stderr = false
crash dir = $CEPH_DIR/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon max pg per osd = 1000
mon data avail warn = 1
mon data avail crit = 0
mon osd full ratio = .99
mon osd backfillfull ratio = .98
mon osd nearfull ratio = .97
# commit map changes every 0.1 s instead of 1 s: a cold start takes 2 s instead of 13 s.
paxos propose interval = 0.1

[mon.a]
mon data = $CEPH_DIR/mon.a

[osd]
osd data = $CEPH_DIR/osd.\$id
osd objectstore = memstore
memstore device bytes = 2147483648
osd crush update on start = true
osd memory target = 939524096
osd op num shards = 1
osd op num threads per shard = 2
# A killed gateway's watches hold up the next writes until they time out (30 s by default); clients ping theirs
# every 5 s, so 10 s keeps live watches and lets a dead one go three times sooner.
osd client watch timeout = 10

[client]
# One lifecycle "day" lasts this many seconds, so expiration and transition rules run within a test.
rgw lc debug interval = $LC_DEBUG_INTERVAL

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $CEPH_DIR/rgw
rgw enable usage log = false
rgw thread pool size = 64
EOF

ceph_cli() { ceph -c "$CONF" --connect-timeout 5 "$@"; }

monmaptool --create --clobber --fsid "$FSID" \
  --addv a "[v2:127.0.0.1:$MON_PORT2,v1:127.0.0.1:$MON_PORT]" "$CEPH_DIR/monmap" \
  >"$CEPH_DIR/log/monmaptool.out" 2>&1 || fail "monmaptool"
ceph-mon -c "$CONF" --mkfs -i a --monmap "$CEPH_DIR/monmap" >"$CEPH_DIR/log/mon.mkfs.out" 2>&1 \
  || fail "ceph-mon --mkfs"
ceph-mon -c "$CONF" -i a >"$CEPH_DIR/log/mon.start.out" 2>&1 || fail "ceph-mon start" # daemonizes
wait_for 20 "the pid file of mon.a" - test -s "$CEPH_DIR/run/mon.a.pid"

# From here on a watchdog stops the cluster when the owner dies, however it dies.
if [ -n "${WATCH_PID:-}" ]; then
  nohup setsid bash -c '
    while kill -0 "$0" 2>/dev/null && [ -d "$2/run" ]; do sleep 1; done
    [ -d "$2/run" ] && CEPH_DIR=$2 exec "$1"' "$WATCH_PID" "$HERE/stop-rgw.sh" "$CEPH_DIR" \
    >/dev/null 2>&1 </dev/null &
  echo $! >"$CEPH_DIR/run/watchdog.pid"
fi

wait_for 30 "monitor quorum" mon.a ceph_cli mon stat

OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(ceph_cli osd new "$OSD_UUID" 2>"$CEPH_DIR/log/osd.new.err") || fail "ceph osd new"
[ "$OSD_ID" = 0 ] || fail "expected osd id 0, got '$OSD_ID'"
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >"$CEPH_DIR/log/osd.mkfs.out" 2>&1 || fail "ceph-osd --mkfs"
ceph-osd -c "$CONF" -i 0 >"$CEPH_DIR/log/osd.start.out" 2>&1 || fail "ceph-osd start"
wait_for 20 "the pid file of osd.0" - test -s "$CEPH_DIR/run/osd.0.pid"
osd_up() { ceph_cli osd dump | grep -q '^osd.0 up'; }
wait_for 60 "osd.0 up" osd.0 osd_up

# The first radosgw-admin call creates the default zonegroup, zone and pools. RGW allows a user 1,000 buckets by
# default; the scale benchmark's worlds hold more.
radosgw-admin -c "$CONF" user create --uid=tester --display-name=Tester --max-buckets=100000 \
  --access-key="$S3_ACCESS_KEY_ID" --secret-key="$S3_SECRET_ACCESS_KEY" \
  >"$CEPH_DIR/log/user-create.json" 2>"$CEPH_DIR/log/user-create.err" || fail "radosgw-admin user create"

# Storage classes for lifecycle transitions; radosgw reads the zone once at start, so add them first
# (no realm, hence no 'period update --commit').
for SC in $STORAGE_CLASSES; do
  pool=default.rgw.$(echo "$SC" | tr 'A-Z_' 'a-z-').data
  radosgw-admin -c "$CONF" zonegroup placement add --rgw-zonegroup default \
    --placement-id default-placement --storage-class "$SC" >/dev/null 2>>"$CEPH_DIR/log/placement.err" \
    || fail "zonegroup placement add $SC"
  radosgw-admin -c "$CONF" zone placement add --rgw-zone default \
    --placement-id default-placement --storage-class "$SC" --data-pool "$pool" \
    >/dev/null 2>>"$CEPH_DIR/log/placement.err" || fail "zone placement add $SC"
done

radosgw -c "$CONF" -n client.rgw.a >"$CEPH_DIR/log/rgw.start.out" 2>&1 || fail "radosgw start" # daemonizes
wait_for 20 "the pid file of radosgw" - test -s "$CEPH_DIR/run/client.rgw.a.pid"
wait_for 60 "radosgw HTTP on 127.0.0.1:$RGW_PORT" client.rgw.a http_answers "$RGW_PORT"

cat >"$CEPH_DIR/endpoint.env" <<EOF
S3_ENDPOINT=http://127.0.0.1:$RGW_PORT
S3_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID
S3_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY
S3_REGION=us-east-1
CEPH_DIR=$CEPH_DIR
CEPH_CONF=$CONF
EOF
cat "$CEPH_DIR/endpoint.env"
