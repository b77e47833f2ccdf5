/** The environment's identity and its physical names: file name, promotion chain, unique names, targets. */
import { pointer } from '../pointer.js';
import { type Check, type Finding, entries, error, warning } from './check.js';

/** Enough names to spot a typo without flooding the line. */
const MAX_LISTED = 10;

export const checkMetadata: Check = ({ document, fileName, accepted, environments }) => {
  const findings: Finding[] = [];
  const name = document.metadata?.name;
  if (accepted(pointer('metadata', 'name')) && name !== fileName) {
    findings.push(
      error(
        pointer('metadata', 'name'),
        `metadata.name \`${name}\` differs from the file name; write \`${fileName}\` or rename the file to ${name}.yaml`,
      ),
    );
  }
  const source = document.metadata?.promotesFrom;
  const sourcePath = pointer('metadata', 'promotesFrom');
  if (source === undefined || !accepted(sourcePath)) return findings;
  if (source === fileName) {
    findings.push(
      error(
        sourcePath,
        `\`${fileName}\` cannot promote from itself; name the environment changes come from, e.g. staging`,
      ),
    );
  } else if (!environments.has(source)) {
    const known = [...environments.keys()]
      .filter((known) => known !== fileName)
      .sort()
      .slice(0, MAX_LISTED);
    findings.push(
      warning(
        sourcePath,
        `promotesFrom names \`${source}\`, but there is no ${source}.yaml next to this file${known.length ? `; environments: ${known.join(', ')}` : ''}`,
      ),
    );
  } else {
    const cycle = promotionCycle(fileName, source, environments);
    if (cycle)
      findings.push(
        error(
          sourcePath,
          `promotion cycle ${cycle.join(' ← ')}; one environment in the chain must not promote from another`,
        ),
      );
  }
  return findings;
};

/** Follows promotesFrom from `source`; the chain back to `start` when it loops. */
function promotionCycle(
  start: string,
  source: string,
  environments: ReadonlyMap<string, string | undefined>,
): string[] | undefined {
  const chain = [start];
  let current: string | undefined = source;
  while (current !== undefined && !chain.includes(current)) {
    chain.push(current);
    current = environments.get(current);
  }
  return current === start ? [...chain, start] : undefined;
}

export const checkTargets: Check = ({ document, accepted }) => {
  const findings: Finding[] = [];
  if (!accepted(pointer('targets'))) return findings;
  const usesKubernetes = entries(document.namespaces).length > 0 || entries(document.storageClasses).length > 0;
  if (usesKubernetes && document.targets.kubernetes === undefined) {
    findings.push(
      error(
        pointer('targets'),
        'namespaces or storage classes are declared but no cluster is; add `kubernetes: { context: <kubeconfig context> }` under targets',
        'key',
      ),
    );
  }
  if (entries(document.buckets).length > 0 && document.targets.s3 === undefined) {
    findings.push(
      error(
        pointer('targets'),
        'buckets are declared but no S3 target is; add `s3: { region: <region> }` under targets',
        'key',
      ),
    );
  }
  return findings;
};

/** Two declarations with one physical name would fight over the same live object. */
export const checkUniqueNames: Check = ({ document, accepted }) => {
  const findings: Finding[] = [];
  const unique = (kind: string, declared: { path: string; key: string; name: string | undefined }[]) => {
    const firstByName = new Map<string, string>();
    for (const { path, key, name } of declared) {
      const physical = name ?? key;
      if (!accepted(path)) continue;
      const first = firstByName.get(physical);
      if (first === undefined) firstByName.set(physical, key);
      else
        findings.push(
          error(
            path,
            `${kind} \`${key}\` has the same name \`${physical}\` as \`${first}\`; give each its own name`,
            'key',
          ),
        );
    }
  };
  unique(
    'storage class',
    entries(document.storageClasses).map(([key, value]) => ({
      path: pointer('storageClasses', key),
      key,
      name: value?.name,
    })),
  );
  unique(
    'namespace',
    entries(document.namespaces).map(([key, value]) => ({ path: pointer('namespaces', key), key, name: value?.name })),
  );
  unique(
    'bucket',
    entries(document.buckets).map(([key, value]) => ({ path: pointer('buckets', key), key, name: value?.name })),
  );
  for (const [namespaceKey, namespace] of entries(document.namespaces)) {
    unique(
      'volume',
      entries(namespace?.volumes).map(([key, value]) => ({
        path: pointer('namespaces', namespaceKey, 'volumes', key),
        key,
        name: value?.name,
      })),
    );
    unique(
      'backup',
      entries(namespace?.backups).map(([key, value]) => ({
        path: pointer('namespaces', namespaceKey, 'backups', key),
        key,
        name: value?.name,
      })),
    );
  }
  return findings;
};
