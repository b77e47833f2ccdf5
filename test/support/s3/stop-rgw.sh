#!/usr/bin/env bash
# Stop the cluster that start-rgw.sh started in $CEPH_DIR: its watchdog and its three daemons, by pid file;
# wait until they are gone; then remove $CEPH_DIR (KEEP_DIR=1 keeps it).
# Safe to run twice or on a directory that never held a cluster.
set -uo pipefail
: "${CEPH_DIR:?set CEPH_DIR to the directory start-rgw.sh used}"
[ -d "$CEPH_DIR" ] || exit 0
CEPH_DIR=$(cd "$CEPH_DIR" && pwd -P)

# Only a process whose command line names $CEPH_DIR is ours: a stale pid file may point at a reused pid.
ours() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$CEPH_DIR"; }

pids=()
for name in watchdog client.rgw.a osd.0 mon.a; do
  pid=$(cat "$CEPH_DIR/run/$name.pid" 2>/dev/null) || continue
  # The watchdog runs this script itself when its owner dies; it must not kill itself.
  [ -n "$pid" ] && [ "$pid" != $$ ] && ours "$pid" && pids+=("$pid")
done
# SIGKILL at once: the cluster is in memory and thrown away, and radosgw takes 6 s to honour SIGTERM.
for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done

# A zombie counts as gone: it holds no port and no memory, only waits for its parent to reap it.
alive() { [ -e "/proc/$1" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null; }
any_alive() {
  local p
  for p in "${pids[@]}"; do alive "$p" && return 0; done
  return 1
}
for _ in $(seq 1 50); do any_alive || break; sleep 0.1; done
if any_alive; then
  echo "stop-rgw: a daemon of $CEPH_DIR survived SIGKILL (pids ${pids[*]})" >&2
  exit 1
fi

[ "${KEEP_DIR:-0}" = 1 ] || rm -rf "$CEPH_DIR"
exit 0
