/**
 * One run of a cronjob-engine backup, in one place: the script its pod runs and the Role that lets it run, which
 * must grant exactly what the script does. A pod cannot mount a claim that does not exist yet, so the CronJob's pod
 * only orchestrates, with kubectl: it snapshots the claim (crash-consistent, where the application's node holds it),
 * restores the snapshot into a new claim, starts a copy pod that mounts that claim (free to run on any node, as no
 * one else uses it), waits for it, and deletes all three, on failure too. Each object also names the run's Job as its
 * owner, so the garbage collector removes what a killed run left behind when the CronJob prunes the Job.
 */
import type { RoleRule } from './resources.js';

/** The service account, Role and RoleBinding strata writes for a backup: named after its CronJob. */
export function backupRunName(cronJob: string): string {
  return `strata-backup-${cronJob}`;
}

/** Labels the run's objects with the CronJob's Job; never with strata's ownership labels, as strata must not adopt or delete them. */
export const BACKUP_RUN_LABEL = 'strata.dev/backup-run';

/** Placeholders in the copy pod's manifest (`COPY_POD`) that the script fills in for its run. */
export const RUN_PLACEHOLDER = '@RUN@';
export const RUN_UID_PLACEHOLDER = '@RUN_UID@';

/**
 * What the script does, as RBAC grants: `get` on the claim (its class and size), create, read and delete the
 * snapshot, the restored claim and the copy pod, and read the copy's log when it fails. Waits poll with `get`.
 */
export const BACKUP_RUN_RULES: RoleRule[] = [
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['create', 'delete', 'get'] },
  { apiGroups: [''], resources: ['persistentvolumeclaims', 'pods'], verbs: ['create', 'delete', 'get'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
];

/**
 * POSIX sh and kubectl only. Reads BACKUP_NAMESPACE, BACKUP_JOB and BACKUP_JOB_UID (the downward API), BACKUP_CLAIM,
 * BACKUP_SNAPSHOT_CLASS (optional) and COPY_POD. The snapshot may take BACKUP_SNAPSHOT_SECONDS to become ready (600)
 * and the copy BACKUP_COPY_SECONDS (86400); the CronJob's own deadline, when declared, stops it sooner, and the trap
 * still cleans up.
 */
export const BACKUP_RUN_SCRIPT = `set -eu
ns="$BACKUP_NAMESPACE"
run="$BACKUP_JOB"
copy="$run-copy"
k() { kubectl --namespace "$ns" "$@"; }
meta="\\"name\\":\\"$run\\",\\"labels\\":{\\"${BACKUP_RUN_LABEL}\\":\\"$run\\"},\\"ownerReferences\\":[{\\"apiVersion\\":\\"batch/v1\\",\\"kind\\":\\"Job\\",\\"name\\":\\"$run\\",\\"uid\\":\\"$BACKUP_JOB_UID\\"}]"
cleanup() {
  k delete pod "$copy" --ignore-not-found --wait=false || true
  k delete persistentvolumeclaim "$run" --ignore-not-found --wait=false || true
  k delete volumesnapshot.snapshot.storage.k8s.io "$run" --ignore-not-found --wait=false || true
}
# A retried attempt starts again from a fresh snapshot.
cleanup
trap cleanup EXIT
trap 'exit 143' TERM INT
class=""
if [ -n "\${BACKUP_SNAPSHOT_CLASS:-}" ]; then class=",\\"volumeSnapshotClassName\\":\\"$BACKUP_SNAPSHOT_CLASS\\""; fi
printf '{"apiVersion":"snapshot.storage.k8s.io/v1","kind":"VolumeSnapshot","metadata":{%s},"spec":{"source":{"persistentVolumeClaimName":"%s"}%s}}' "$meta" "$BACKUP_CLAIM" "$class" | k create -f -
deadline=$(( $(date +%s) + \${BACKUP_SNAPSHOT_SECONDS:-600} ))
while :; do
  state=$(k get volumesnapshot.snapshot.storage.k8s.io "$run" -o 'jsonpath={.status.readyToUse}|{.status.restoreSize}|{.status.error.message}')
  ready=\${state%%|*}; rest=\${state#*|}; size=\${rest%%|*}; error=\${rest#*|}
  if [ "$ready" = true ]; then break; fi
  if [ -n "$error" ]; then echo "snapshot $run of $BACKUP_CLAIM failed: $error" >&2; exit 1; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "snapshot $run of $BACKUP_CLAIM not ready after \${BACKUP_SNAPSHOT_SECONDS:-600}s" >&2; exit 1; fi
  sleep 2
done
source=$(k get persistentvolumeclaim "$BACKUP_CLAIM" -o 'jsonpath={.spec.storageClassName}|{.status.capacity.storage}')
storageClass=\${source%%|*}
if [ -z "$size" ]; then size=\${source#*|}; fi
printf '{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{%s},"spec":{"storageClassName":"%s","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"%s"}},"dataSource":{"apiGroup":"snapshot.storage.k8s.io","kind":"VolumeSnapshot","name":"%s"}}}' "$meta" "$storageClass" "$size" "$run" | k create -f -
printf '%s' "$COPY_POD" | sed -e "s/${RUN_PLACEHOLDER}/$run/g" -e "s/${RUN_UID_PLACEHOLDER}/$BACKUP_JOB_UID/g" | k create -f -
deadline=$(( $(date +%s) + \${BACKUP_COPY_SECONDS:-86400} ))
while :; do
  phase=$(k get pod "$copy" -o 'jsonpath={.status.phase}')
  if [ "$phase" = Succeeded ]; then echo "copied $BACKUP_CLAIM (snapshot $run)"; exit 0; fi
  if [ "$phase" = Failed ]; then k logs "$copy" >&2 || true; echo "copy of $BACKUP_CLAIM failed" >&2; exit 1; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "copy of $BACKUP_CLAIM not finished after \${BACKUP_COPY_SECONDS:-86400}s" >&2; exit 1; fi
  sleep 5
done
`;
