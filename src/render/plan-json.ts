/**
 * The machine form CI reads: the saved-plan envelope `{ plan, planHash }` (src/model/plan.ts `SavedPlan`), so
 * `--json` output and a saved plan file are the same document. Keys come in a fixed order (the contract's fields in
 * the order the model declares them, spec values alphabetically), with a 2-space indent and a trailing newline, so
 * the same plan always prints byte for byte the same.
 */
import type { Plan } from '../model/plan.js';
import { sortKeysDeep } from './canonical.js';

type Reorder = (value: unknown) => unknown;

export function renderPlanJson(plan: Plan, planHash?: string): string {
  return `${JSON.stringify({ plan: orderPlan(plan), planHash }, null, 2)}\n`;
}

/** The listed keys first, in that order; any other key after them, alphabetically. Undefined members are dropped. */
function ordered(order: string[], nested: Record<string, Reorder> = {}): Reorder {
  return (value) => {
    const object = value as Record<string, unknown>;
    const rest = Object.keys(object)
      .filter((key) => !order.includes(key))
      .sort();
    const keys = [...order.filter((key) => key in object), ...rest].filter((key) => object[key] !== undefined);
    return Object.fromEntries(keys.map((key) => [key, (nested[key] ?? sortKeysDeep)(object[key])]));
  };
}

const each =
  (reorder: Reorder): Reorder =>
  (value) =>
    (value as unknown[]).map(reorder);

const orderAddress = ordered(['system', 'kind', 'namespace', 'name']);
const orderAttribute = ordered(['path', 'before', 'after', 'forcesReplacement']);
const orderRisk = ordered(['kind', 'severity', 'message', 'path', 'storageDeltaBytes']);
const orderChange = ordered(
  ['address', 'action', 'logicalKey', 'before', 'after', 'attributes', 'risks', 'reason', 'fingerprint', 'preserved'],
  { address: orderAddress, attributes: each(orderAttribute), risks: each(orderRisk) },
);
const orderStep = ordered(['index', 'address', 'action', 'dependsOn'], { address: orderAddress });
const orderCapability = ordered(['capability', 'supported', 'detail']);
const orderSummary = ordered(['create', 'update', 'replace', 'delete', 'adopt', 'blocked', 'noOp', 'risks']);
const orderPlan = ordered(
  [
    'formatVersion',
    'environment',
    'createdAt',
    'desiredDigest',
    'desiredFiles',
    'sources',
    'capabilities',
    'changes',
    'steps',
    'summary',
  ],
  {
    desiredFiles: (files) => files,
    capabilities: each(orderCapability),
    changes: each(orderChange),
    steps: each(orderStep),
    summary: orderSummary,
  },
);
