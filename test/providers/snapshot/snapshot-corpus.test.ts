import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../src/config/index.js';
import type { DesiredState } from '../../../src/model/desired.js';
import { UserError } from '../../../src/errors/user-error.js';
import { createPlan } from '../../../src/plan/index.js';
import { parseSnapshot, readSnapshotFile } from '../../../src/providers/snapshot/snapshot.js';
import { renderPlanText } from '../../../src/render/plan-text.js';
import { damageText, fuzzRuns, fuzzSeed, mutateJson, seededRandom } from '../../support/fuzz.js';

const ROOT = new URL('../../..', import.meta.url).pathname;
const FILE = 'dev.observed.json';
const text = readFileSync(join(ROOT, 'examples/snapshots/dev.observed.json'), 'utf8');
const snapshot = JSON.parse(text) as { resources: unknown[] };

const refusal = (input: string): UserError => {
  try {
    parseSnapshot(input, FILE);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('the snapshot was accepted');
};

const edited = (edit: (copy: { resources: Record<string, unknown>[] }) => void): string => {
  const copy = structuredClone(snapshot) as { resources: Record<string, unknown>[] };
  edit(copy);
  return JSON.stringify(copy, null, 2);
};

describe('reading a damaged observed snapshot', () => {
  it('locates a file cut short and says so', () => {
    const cut = text.slice(0, text.indexOf('"environment": ') + '"environment": '.length);
    expect(refusal(cut).message).toBe(
      'dev.observed.json:4:18: the JSON ends where a value should be (was the file cut short?), so it is not an observed snapshot',
    );
  });

  it('refuses a key given twice, where JSON.parse would keep the last without a word', () => {
    const doubled = text.replace('"owned": true', '"owned": false,\n      "owned": true');
    expect(refusal(doubled).message).toMatch(/^dev\.observed\.json:\d+:\d+: key "owned" appears twice in one object/);
  });

  it('refuses a resource listed twice, naming both places', () => {
    const error = refusal(
      edited((copy) => copy.resources.push(structuredClone(copy.resources[0] as Record<string, unknown>))),
    );
    expect(error.message).toBe(
      `dev.observed.json: resources[${snapshot.resources.length}] is kubernetes/StorageClass/fast-ssd again (first at resources[0]); a snapshot holds each resource once`,
    );
    expect(error.hint).toContain('strata observe');
  });

  it('refuses a spec field of the wrong type, by its path', () => {
    const error = refusal(
      edited((copy) => ((copy.resources[0] as { spec: Record<string, unknown> }).spec.mountOptions = 'noatime')),
    );
    expect(error.message).toBe(
      'dev.observed.json: resources[0] (kubernetes/StorageClass/fast-ssd): spec.mountOptions: expected a list, found the string "noatime"',
    );
  });

  it('refuses a bucket policy statement that is not an object, which the planner reads as one', () => {
    const policy = {
      address: { system: 's3', kind: 'BucketPolicy', name: 'akosha-backups-dev' },
      spec: { document: { Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow' }, null] } },
      owned: true,
    };
    expect(refusal(edited((copy) => copy.resources.push(policy))).message).toBe(
      `dev.observed.json: resources[${snapshot.resources.length}] (s3/BucketPolicy/akosha-backups-dev): spec.document.Statement[1]: expected an object, found null`,
    );
  });

  it('refuses a kind strata does not know', () => {
    const error = refusal(
      edited((copy) => ((copy.resources[0] as { address: Record<string, unknown> }).address.kind = 'Secret')),
    );
    expect(error.message).toMatch(
      /^dev\.observed\.json: resources\[0\]\.address\.kind: expected one of "Namespace", .*, found the string "Secret"$/,
    );
  });

  it('refuses a kind of the other system', () => {
    const error = refusal(
      edited((copy) => ((copy.resources[0] as { address: Record<string, unknown> }).address.system = 's3')),
    );
    expect(error.message).toBe('dev.observed.json: resources[0].address: StorageClass is not a s3 kind');
  });

  it('refuses a quantity whose exponent would take the planner minutes', () => {
    const error = refusal(text.replace('"size": "50Gi"', '"size": "1e99999999"'));
    expect(error.message).toContain(
      'spec.size: expected a Kubernetes quantity such as "50Gi", found the string "1e99999999"',
    );
  });

  it('refuses nesting deeper than any snapshot has, before anything recurses into it', () => {
    expect(refusal(`{"resources": ${'['.repeat(10_000)}`).message).toMatch(
      /^dev\.observed\.json:1:\d+: nests more than 64 levels deep/,
    );
  });

  it('quotes 60 characters of a 40 KB value', () => {
    const error = refusal(
      edited((copy) => ((copy.resources[0] as { address: Record<string, unknown> }).address.kind = 'K'.repeat(40_000))),
    );
    // The message lists every kind a snapshot may hold (about 300 characters); the value itself is cut to 60.
    expect(error.message.length).toBeLessThan(600);
    expect(error.message).not.toContain('K'.repeat(61));
  });
});

describe('reading a snapshot file', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'strata-snapshot-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('refuses a file larger than 64 MiB without reading it', async () => {
    const file = join(directory, 'huge.json');
    await writeFile(file, '');
    await truncate(file, 65 * 1024 * 1024);
    expect(() => readSnapshotFile(file)).toThrow(`${file} is larger than 64 MiB, so it is not an observed snapshot`);
  });

  it('refuses a directory', () => {
    expect(() => readSnapshotFile(directory)).toThrow(`cannot read observed snapshot ${directory}: it is a directory`);
  });

  it('refuses a file that is not UTF-8', async () => {
    const file = join(directory, 'latin1.json');
    await writeFile(file, Buffer.from([0x7b, 0xe9, 0x7d]));
    expect(() => readSnapshotFile(file)).toThrow(`${file} is not UTF-8 text, so it is not an observed snapshot`);
  });
});

const RUNS = fuzzRuns(300);

describe(`reading ${RUNS} damaged snapshots (seed ${fuzzSeed()})`, () => {
  let desired: DesiredState;
  beforeAll(async () => {
    desired = await loadEnvironment('dev', { cwd: ROOT });
  });

  it('refuses each as a bounded user error, or plans and renders it', { timeout: 30_000 + RUNS * 50 }, () => {
    const random = seededRandom(fuzzSeed());
    for (let run = 0; run < RUNS; run += 1) {
      let input: string;
      let change: string;
      if (random.chance(0.25)) {
        ({ text: input, change } = damageText(text, random));
      } else {
        const mutated = mutateJson(snapshot, random);
        input = JSON.stringify(mutated.value);
        change = mutated.change;
      }
      const replay = `run ${run} of seed ${fuzzSeed()} (${change})`;
      let observed: ReturnType<typeof parseSnapshot>;
      try {
        observed = parseSnapshot(input, FILE);
      } catch (error) {
        if (!(error instanceof UserError)) throw new Error(`reading threw ${String(error)} on ${replay}`);
        expect(error.message.length, replay).toBeLessThan(600);
        expect(error.message, replay).not.toMatch(/Maximum call stack|TypeError|Cannot read prop|\[object Object\]/);
        continue;
      }
      try {
        renderPlanText(createPlan({ desired, observed, now: new Date('2026-12-01T00:00:00Z') }), { color: false });
      } catch (error) {
        throw new Error(`planning against an accepted snapshot threw on ${replay}: ${(error as Error).stack}`);
      }
    }
  });
});
