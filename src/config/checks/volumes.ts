/** Volumes against their storage classes, and namespace quotas against the volumes they must hold. */
import type { NamespaceDeclaration, StorageClassDeclaration, VolumeDeclaration } from '../../model/environment.js';
import { compareQuantities, formatBytes, quantityToNumber } from '../../model/quantity.js';
import { plural } from '../../model/words.js';
import { childPointer, pointer } from '../pointer.js';
import { suggestion } from '../suggest.js';
import { type Check, type CheckInput, type Finding, entries, error, warning } from './check.js';

export const checkVolumes: Check = ({ document, accepted }) => {
  const findings: Finding[] = [];
  const classes = Object.fromEntries(entries(document.storageClasses));
  const classKeys = Object.keys(classes);
  for (const [namespaceKey, namespace] of entries(document.namespaces)) {
    for (const [volumeKey, volume] of entries(namespace.volumes)) {
      const path = pointer('namespaces', namespaceKey, 'volumes', volumeKey);
      const ok = (field: string) => accepted(`${path}/${field}`);
      const storageClass = ok('storageClass') ? classes[volume.storageClass] : undefined;
      if (ok('storageClass') && !storageClass) {
        findings.push(
          error(
            `${path}/storageClass`,
            `storage class \`${volume.storageClass}\` is not declared under storageClasses; ${suggestion(volume.storageClass, classKeys, 'storage classes')}`,
          ),
        );
      }
      if (volume.growth !== undefined && ok('growth')) {
        findings.push(...growthFindings(path, volume, volume.growth, ok('storageClass') ? storageClass : undefined));
      }
      if (volume.maxSize === undefined || !ok('size') || !ok('maxSize')) continue;
      const order = compareQuantities(volume.maxSize, volume.size);
      if (order < 0) {
        findings.push(
          error(
            `${path}/maxSize`,
            `maxSize ${volume.maxSize} is below size ${volume.size}; a volume is never shrunk, so raise maxSize to at least ${volume.size} or lower size`,
          ),
        );
      } else if (
        order > 0 &&
        storageClass &&
        storageClass.allowVolumeExpansion !== true &&
        volume.growth === undefined // growth says so, as an error
      ) {
        findings.push(
          warning(
            `${path}/maxSize`,
            `maxSize ${volume.maxSize} lets the volume grow, but storage class \`${volume.storageClass}\` does not allow expansion; set allowVolumeExpansion: true on it`,
          ),
        );
      }
    }
  }
  return findings;
};

/**
 * What pvc-autoresizer needs to act on `growth`: a storage_limit (maxSize), a step that adds something, a Filesystem
 * claim, and a class that allows expansion (else the server refuses every resize it writes).
 */
function growthFindings(
  path: string,
  volume: VolumeDeclaration,
  growth: NonNullable<VolumeDeclaration['growth']>,
  storageClass: StorageClassDeclaration | undefined,
): Finding[] {
  const at = `${path}/growth`;
  const findings: Finding[] = [];
  if (volume.maxSize === undefined) {
    findings.push(
      error(
        at,
        `growth needs maxSize, the size pvc-autoresizer never grows past (its storage_limit); add maxSize beside size, e.g. maxSize: 500Gi`,
        'key',
      ),
    );
  }
  if (quantityToNumber(growth.step) <= 0) {
    findings.push(error(`${at}/step`, `step ${growth.step} adds nothing; write a positive quantity, e.g. step: 20Gi`));
  }
  if (volume.volumeMode === 'Block') {
    findings.push(
      error(
        at,
        'pvc-autoresizer grows only Filesystem volumes (it reads the file system usage); remove growth or set volumeMode: Filesystem',
        'key',
      ),
    );
  }
  if (storageClass && storageClass.allowVolumeExpansion !== true) {
    findings.push(
      error(
        at,
        `growth needs storage class \`${volume.storageClass}\` to allow expansion, or Kubernetes refuses every resize; set allowVolumeExpansion: true under storageClasses.${volume.storageClass}`,
        'key',
      ),
    );
  }
  return findings;
}

export const checkQuotas: Check = (input) =>
  entries(input.document.namespaces).flatMap(([namespaceKey, namespace]) =>
    quotaFindings(input, namespaceKey, namespace),
  );

function quotaFindings(
  { document, accepted }: CheckInput,
  namespaceKey: string,
  namespace: NamespaceDeclaration,
): Finding[] {
  const quotaPath = pointer('namespaces', namespaceKey, 'quota');
  if (!namespace.quota || !accepted(quotaPath)) return [];
  const quota = namespace.quota;
  const findings: Finding[] = [];
  const classKeys = entries(document.storageClasses).map(([key]) => key);
  for (const [classKey] of entries(quota.classes)) {
    if (!classKeys.includes(classKey)) {
      findings.push(
        error(
          childPointer(quotaPath, 'classes', classKey),
          `storage class \`${classKey}\` is not declared under storageClasses; ${suggestion(classKey, classKeys, 'storage classes')}`,
          'key',
        ),
      );
    }
  }
  const volumesPath = pointer('namespaces', namespaceKey, 'volumes');
  const volumes = entries(namespace.volumes).map(([, volume]) => volume);
  if (volumes.length > 0 && !accepted(volumesPath)) return findings;
  if (quota.persistentvolumeclaims !== undefined && volumes.length > quota.persistentvolumeclaims) {
    findings.push(
      error(
        `${quotaPath}/persistentvolumeclaims`,
        `the namespace declares ${plural(volumes.length, 'volume')} but its quota allows ${plural(quota.persistentvolumeclaims, 'claim')}; raise persistentvolumeclaims to at least ${volumes.length}`,
      ),
    );
  }
  if (quota['requests.storage'] !== undefined) {
    findings.push(
      ...capacityFindings(`${quotaPath}/requests.storage`, quota['requests.storage'], volumes, 'the namespace'),
    );
  }
  for (const [classKey, limit] of entries(quota.classes)) {
    const ofClass = volumes.filter((volume) => volume.storageClass === classKey);
    findings.push(
      ...capacityFindings(childPointer(quotaPath, 'classes', classKey), limit, ofClass, `class \`${classKey}\``),
    );
  }
  return findings;
}

/** Requested sizes over the quota: Kubernetes refuses the last claims. Room to grow over it: the autoscaler will stall. */
function capacityFindings(path: string, limit: string, volumes: VolumeDeclaration[], scope: string): Finding[] {
  const available = quantityToNumber(limit);
  const requested = volumes.reduce((sum, volume) => sum + quantityToNumber(volume.size), 0);
  if (requested > available) {
    return [
      error(
        path,
        `the volumes of ${scope} request ${formatBytes(requested)} but the quota allows ${limit}; raise it to at least ${formatBytes(requested)} or shrink the volumes`,
      ),
    ];
  }
  const ceiling = volumes.reduce((sum, volume) => sum + quantityToNumber(volume.maxSize ?? volume.size), 0);
  if (ceiling > available) {
    return [
      warning(
        path,
        `the volumes of ${scope} may grow to ${formatBytes(ceiling)} (their maxSize) but the quota allows ${limit}; growth stops at the quota unless you raise it to ${formatBytes(ceiling)}`,
      ),
    ];
  }
  return [];
}
