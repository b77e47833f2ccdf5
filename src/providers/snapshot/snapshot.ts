/**
 * Observed state in a file: what `strata observe` writes and `strata plan --observed` reads, so a pull request can
 * be planned without cluster or cloud credentials. The same resources as the live providers produce.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { addressKey, KUBERNETES_KINDS } from '../../model/address.js';
import { clip } from '../../model/clip.js';
import { readJsonText } from '../../model/json-text.js';
import type { Observed, ObservedResource } from '../../model/resources.js';
import { SPEC_SHAPES } from '../../model/spec-shapes.js';
import { UserError } from '../../errors/user-error.js';
import { RESOURCE_SHAPE, SNAPSHOT_SHAPE } from './shape.js';

export const SNAPSHOT_FORMAT_VERSION = 1;

export interface ObservedSnapshot extends Observed {
  formatVersion: typeof SNAPSHOT_FORMAT_VERSION;
  kind: 'ObservedSnapshot';
  environment: string;
  observedAt: string;
}

export function snapshotOf(environment: string, observed: Observed, observedAt: Date): ObservedSnapshot {
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    kind: 'ObservedSnapshot',
    environment,
    observedAt: observedAt.toISOString(),
    sources: observed.sources,
    capabilities: observed.capabilities,
    resources: observed.resources,
  };
}

export function serializeSnapshot(snapshot: ObservedSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/** Observed state of a large cluster is a few megabytes; a file this large is not a snapshot, and is not read. */
export const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

const WRITE_ONE = 'write one with: strata observe <env> > observed.json';

/** Reads a snapshot file, or a pipe (`--observed /dev/stdin`), never more than MAX_SNAPSHOT_BYTES of it. */
export function readSnapshotFile(path: string): ObservedSnapshot {
  let bytes: Buffer;
  try {
    bytes = readBounded(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read observed snapshot ${path}: ${describeReadError(error)}`, { hint: WRITE_ONE });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${path} is not UTF-8 text, so it is not an observed snapshot`, { hint: WRITE_ONE });
  }
  return parseSnapshot(text, path);
}

function readBounded(path: string): Buffer {
  const tooLarge = () =>
    new UserError(`${path} is larger than ${MAX_SNAPSHOT_BYTES / 1024 / 1024} MiB, so it is not an observed snapshot`, {
      hint: WRITE_ONE,
    });
  const descriptor = openSync(path, 'r');
  try {
    const info = fstatSync(descriptor);
    if (info.isDirectory())
      throw new UserError(`cannot read observed snapshot ${path}: it is a directory`, { hint: WRITE_ONE });
    if (info.isFile() && info.size > MAX_SNAPSHOT_BYTES) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(1024 * 1024);
      const read = readSync(descriptor, chunk, 0, chunk.length, null);
      if (read === 0) return Buffer.concat(chunks, total);
      total += read;
      if (total > MAX_SNAPSHOT_BYTES) throw tooLarge();
      chunks.push(chunk.subarray(0, read));
    }
  } finally {
    closeSync(descriptor);
  }
}

function describeReadError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
  }
}

export function parseSnapshot(text: string, path: string): ObservedSnapshot {
  const read = readJsonText(text);
  if (!read.ok)
    throw new UserError(`${path}:${read.line}:${read.column}: ${read.message}, so it is not an observed snapshot`, {
      hint: WRITE_ONE,
    });
  const data = read.value as Partial<ObservedSnapshot> | null;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || data.kind !== 'ObservedSnapshot') {
    throw new UserError(`${path} is not an observed snapshot (expected "kind": "ObservedSnapshot")`, {
      hint: WRITE_ONE,
    });
  }
  if (data.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw new UserError(
      `${path} has formatVersion ${clip(JSON.stringify(data.formatVersion) ?? 'missing')}; this strata reads version ${SNAPSHOT_FORMAT_VERSION}`,
      {
        hint: 'observe again with this version of strata',
      },
    );
  }
  const problem = SNAPSHOT_SHAPE(data, '');
  if (problem) throw shapeError(path, problem.path, problem.message);
  const seen = new Map<string, number>();
  (data.resources as unknown[]).forEach((resource, index) => {
    const key = checkResource(resource, path, `resources[${index}]`);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new UserError(
        `${path}: resources[${index}] is ${clip(key, 200)} again (first at resources[${first}]); a snapshot holds each resource once`,
        {
          hint: 'remove one of them, or observe again with: strata observe <env> > observed.json',
        },
      );
    }
    seen.set(key, index);
  });
  return { ...data, sources: data.sources ?? {}, capabilities: data.capabilities ?? [] } as ObservedSnapshot;
}

/** The resource's address key, once its shape is right. */
function checkResource(resource: unknown, path: string, where: string): string {
  const problem = RESOURCE_SHAPE(resource, where);
  if (problem) throw shapeError(path, problem.path, problem.message);
  const { address, spec } = resource as ObservedResource;
  const key = addressKey(address);
  if ((address.system === 'kubernetes') !== (KUBERNETES_KINDS as readonly string[]).includes(address.kind)) {
    throw shapeError(path, `${where}.address`, `${address.kind} is not a ${address.system} kind`);
  }
  const specProblem = SPEC_SHAPES[address.kind](spec, 'spec');
  if (specProblem) throw shapeError(path, `${where} (${clip(key, 200)}): ${specProblem.path}`, specProblem.message);
  return key;
}

function shapeError(path: string, where: string, message: string): UserError {
  return new UserError(`${path}: ${where === '' ? '' : `${where}: `}${message}`, {
    hint: 'fix the file by hand, or observe again with: strata observe <env> > observed.json',
  });
}
