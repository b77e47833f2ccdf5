import { describe, expect, it } from 'vitest';
import { applyPlan, NOTHING_WRITTEN } from '../../../src/apply/index.js';
import { isStalePlanError } from '../../../src/errors/stale-plan-error.js';
import type { ResourceAddress } from '../../../src/model/address.js';
import { at, doneBefore, indexes, rederivedAs, risks, specs, typicalEntries, world } from './world.js';

const tags: ResourceAddress = { system: 's3', kind: 'BucketTags', name: 'akosha-backups-prod' };
const ownerTags = { 'managed-by': 'strata', 'strata.dev/environment': 'prod' };

describe('applyPlan: apply approves, it does not trust the plan file', () => {
  it('asks for --allow-destroy when the change derived now can lose data, whatever risks the file lists', async () => {
    // The file was edited to drop the risk (and re-hashed); the planner derives it again.
    const w = world([{ address: at.oldCache, action: 'delete', before: specs.oldCache() }]);
    const now = rederivedAs(w.saved.plan, [
      [at.oldCache, { risks: [risks.dataLoss('deletes claim old-cache and its 20Gi volume')] }],
    ]);

    const refused = applyPlan(w.input({ rederive: async () => now }));

    await expect(refused).rejects.toThrow(
      '1 change can lose data:\n  kubernetes/PersistentVolumeClaim/codequal-prod/old-cache: deletes claim old-cache and its 20Gi volume',
    );
    expect(w.lock.acquired).toBe(0);
    expect(w.kubernetes.get(at.oldCache)).toBeDefined();
  });

  it('asks to confirm an irreversible change derived now, whatever risks the file lists', async () => {
    const w = world([
      { address: at.objectLock, action: 'create', after: { defaultRetention: { mode: 'COMPLIANCE', years: 7 } } },
    ]);
    const now = rederivedAs(w.saved.plan, [
      [at.objectLock, { risks: [risks.irreversible('COMPLIANCE retention of 7 years')] }],
    ]);

    await expect(applyPlan(w.input({ rederive: async () => now }))).rejects.toThrow('1 change cannot be undone');
    expect(w.s3.applied).toEqual([]);
  });

  it('deletes nothing the planner would not delete now, such as a namespace strata does not own, and runs the rest', async () => {
    const w = world([
      { address: at.namespace, action: 'delete', before: specs.namespace('platform') },
      typicalEntries()[1]!,
    ]);
    const now = rederivedAs(w.saved.plan, [[at.namespace, undefined]]);

    const result = await applyPlan(w.input({ rederive: async () => now, concurrency: 1 }));

    expect(result.outcome).toBe('failed');
    expect(result.failed.map(({ error }) => error.message)).toEqual([
      'kubernetes/Namespace/codequal-prod changed since the plan was made (planned delete, now nothing: it is neither declared nor owned by strata); run strata plan prod again',
    ]);
    expect(result.failed[0]?.error).toSatisfy(isStalePlanError);
    expect(indexes(result.succeeded)).toEqual([2]);
    expect(w.kubernetes.get(at.namespace)).toBeDefined();
  });

  it('never executes a step the planner now blocks', async () => {
    const w = world([
      {
        address: at.deepwikiData,
        action: 'update',
        before: specs.deepwikiData('50Gi'),
        after: specs.deepwikiData('200Gi'),
      },
    ]);
    const reason =
      'is being deleted (held by kubernetes.io/pvc-protection: a pod still uses the claim); plan again once it is gone';
    const now = rederivedAs(w.saved.plan, [[at.deepwikiData, { action: 'blocked', reason }]]);

    const result = await applyPlan(w.input({ rederive: async () => now }));

    expect(result.failed[0]?.error.message).toContain(`(planned update, now blocked: ${reason})`);
    expect(w.kubernetes.applied).toEqual([]);
  });

  it('refuses a step whose attributes differ now, naming them, and never writes it', async () => {
    const w = world([
      {
        address: at.deepwikiData,
        action: 'update',
        before: specs.deepwikiData('50Gi'),
        after: specs.deepwikiData('200Gi'),
        attributes: [{ path: 'size', before: '50Gi', after: '200Gi' }],
      },
    ]);
    // Someone resized the claim between the plan and this apply.
    const resized = w.kubernetes.writeConcurrently(at.deepwikiData, specs.deepwikiData('100Gi'));
    const now = rederivedAs(w.saved.plan, [
      [
        at.deepwikiData,
        {
          before: resized.spec,
          attributes: [{ path: 'size', before: '100Gi', after: '200Gi' }],
          fingerprint: resized.fingerprint,
        },
      ],
    ]);

    const result = await applyPlan(w.input({ rederive: async () => now }));

    expect(result.failed[0]?.error.message).toBe(
      'kubernetes/PersistentVolumeClaim/codequal-prod/deepwiki-data changed since the plan was made (size planned "50Gi" → "200Gi", now "100Gi" → "200Gi"); run strata plan prod again',
    );
    expect(w.kubernetes.get(at.deepwikiData)?.spec).toMatchObject({ size: '100Gi' });
  });

  it('writes the change derived now when it agrees with the plan, so the write is conditional on what this apply saw', async () => {
    const w = world(typicalEntries().slice(0, 1));
    // Someone wrote the namespace the same way it was: the planner derives the same change on a newer version.
    const rewritten = w.kubernetes.writeConcurrently(at.namespace);
    const now = rederivedAs(w.saved.plan, [[at.namespace, { fingerprint: rewritten.fingerprint }]]);

    const result = await applyPlan(w.input({ rederive: async () => now }));

    expect(result.outcome).toBe('succeeded');
    expect(w.kubernetes.applied.map((change) => change.fingerprint)).toEqual([rewritten.fingerprint]);
  });

  it('finds every step of a finished plan already done when it is applied again, and writes nothing', async () => {
    const w = world();
    await applyPlan(w.input());
    const writes = w.kubernetes.applied.length + w.s3.applied.length;
    const now = rederivedAs(
      w.saved.plan,
      w.saved.plan.changes.map((change) => [change.address, { action: 'no-op', before: change.after, attributes: [] }]),
    );

    const again = await applyPlan(w.input({ rederive: async () => now }));

    expect(again.outcome).toBe('succeeded');
    expect(again.converged).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(w.kubernetes.applied.length + w.s3.applied.length).toBe(writes);
    const secondRun = w.audit.records.filter(
      (record) => record.runId === again.runId && record.type === 'step-succeeded',
    );
    expect(secondRun.map((record) => record.reason)).toEqual(Array(7).fill(NOTHING_WRITTEN));
  });

  it('refuses a setting an old create plan would write over what someone else wrote since', async () => {
    const w = world([
      { address: at.bucket, action: 'create', after: specs.bucket() },
      { address: tags, action: 'create', after: { tags: { ...ownerTags, team: 'platform' } }, dependsOn: [1] },
    ]);
    // The plan was applied long ago; since then someone tagged the bucket by hand.
    const bucket = w.s3.seed(at.bucket, specs.bucket());
    const retagged = w.s3.seed(tags, { tags: { ...ownerTags, team: 'someone-else' } });
    const now = rederivedAs(w.saved.plan, [
      [at.bucket, { action: 'no-op', before: bucket.spec, fingerprint: bucket.fingerprint }],
      [
        tags,
        {
          action: 'update',
          before: retagged.spec,
          attributes: [{ path: 'tags.team', before: 'someone-else', after: 'platform' }],
          fingerprint: retagged.fingerprint,
        },
      ],
    ]);

    const result = await applyPlan(w.input({ rederive: async () => now }));

    expect(result.converged).toEqual([1]);
    expect(result.failed.map(({ error }) => error.message)).toEqual([
      's3/BucketTags/akosha-backups-prod changed since the plan was made (planned create, now update: tags.team "someone-else" → "platform"); run strata plan prod again',
    ]);
    expect(w.s3.applied).toEqual([]);
    expect(w.s3.get(tags)?.spec).toEqual({ tags: { ...ownerTags, team: 'someone-else' } });
  });

  it('finishes a replacement whose delete already happened by creating the same object', async () => {
    const after = { ...specs.fastSsd(true), parameters: { type: 'gp3', iops: '6000' } };
    const w = world([{ address: at.fastSsd, action: 'replace', before: specs.fastSsd(true), after }]);
    w.kubernetes.deleteConcurrently(at.fastSsd);
    const now = rederivedAs(w.saved.plan, [
      [at.fastSsd, { action: 'create', before: undefined, fingerprint: undefined }],
    ]);

    const result = await applyPlan(w.input({ rederive: async () => now }));

    expect(result.outcome).toBe('succeeded');
    expect(w.kubernetes.get(at.fastSsd)?.spec).toEqual(after);
  });

  it('does not ask in step-through mode about a step the plan no longer holds for, as it writes nothing', async () => {
    const w = world(typicalEntries().slice(0, 2));
    w.kubernetes.writeConcurrently(at.namespace, specs.namespace('codequal'));
    const now = rederivedAs(w.saved.plan, [[at.namespace, { action: 'no-op' }]]);
    const asked: number[] = [];

    const result = await applyPlan(
      w.input({
        rederive: async () => now,
        approve: async (step) => {
          asked.push(step.index);
          return 'apply';
        },
      }),
    );

    expect(asked).toEqual([2]);
    expect(result.converged).toEqual([1]);
  });

  it('plans again only when there is a step to run', async () => {
    const w = world(typicalEntries().slice(0, 2));
    let planned = 0;

    await applyPlan(
      w.input({
        resume: { history: doneBefore(1, 2) },
        rederive: async () => {
          planned += 1;
          return w.saved.plan;
        },
      }),
    );

    expect(planned).toBe(0);
  });
});

describe('applyPlan: settings inside a bucket the plan created', () => {
  const bucketAndVersioning = () =>
    world([
      { address: at.bucket, action: 'create', after: specs.bucket() },
      { address: at.versioning, action: 'create', after: specs.versioning(), dependsOn: [1] },
    ]);

  it('on resume, writes a setting of the bucket an earlier run of the plan created, whatever the new bucket came with', async () => {
    const w = bucketAndVersioning();
    w.s3.failApply(2);
    await applyPlan(w.input());
    // What the bucket came with, as the planner sees it now: versioning it never turned on.
    const found = w.s3.writeConcurrently(at.versioning, { status: 'Disabled' });
    const now = rederivedAs(w.saved.plan, [
      [
        at.versioning,
        {
          action: 'update',
          before: found.spec,
          attributes: [{ path: 'status', before: 'Disabled', after: 'Enabled' }],
          fingerprint: found.fingerprint,
        },
      ],
    ]);

    const resumed = await applyPlan(w.input({ resume: { history: w.audit.history() }, rederive: async () => now }));

    expect(resumed.outcome).toBe('succeeded');
    expect(w.s3.get(at.versioning)?.spec).toEqual(specs.versioning());
  });

  it('on resume, refuses a setting of the bucket an earlier run created when it now keeps something someone else added', async () => {
    const w = world([
      { address: at.bucket, action: 'create', after: specs.bucket() },
      { address: tags, action: 'create', after: { tags: { ...ownerTags, team: 'platform' } }, dependsOn: [1] },
    ]);
    w.s3.failApply(2);
    await applyPlan(w.input());
    const found = w.s3.writeConcurrently(tags, { tags: ownerTags, unmanagedTags: { 'cost-center': '1234' } });
    const now = rederivedAs(w.saved.plan, [
      [
        tags,
        {
          action: 'update',
          before: found.spec,
          after: { tags: { ...ownerTags, team: 'platform' }, unmanagedTags: { 'cost-center': '1234' } },
          attributes: [{ path: 'tags.team', after: 'platform' }],
          preserved: ['tag cost-center=1234'],
          fingerprint: found.fingerprint,
        },
      ],
    ]);

    const resumed = await applyPlan(w.input({ resume: { history: w.audit.history() }, rederive: async () => now }));

    expect(resumed.failed[0]?.error.message).toContain(
      '(planned create, now update: tags.team (unset) → "platform", keeping tag cost-center=1234 as found)',
    );
    expect(w.s3.get(tags)?.spec).toEqual(found.spec);
  });

  it("on resume, finishes a bucket whose create an earlier run sent, though it landed before the bucket was tagged as strata's", async () => {
    const w = bucketAndVersioning();
    // The gateway died after creating the bucket and before tagging it: the planner now sees a bucket to adopt.
    w.s3.failAfterWrite(1);
    await applyPlan(w.input());
    const untagged = w.s3.seed(at.bucket, specs.bucket(), { owned: false });
    const now = rederivedAs(w.saved.plan, [
      [at.bucket, { action: 'adopt', before: untagged.spec, fingerprint: untagged.fingerprint }],
      [at.versioning, { action: 'adopt' }],
    ]);

    const resumed = await applyPlan(w.input({ resume: { history: w.audit.history() }, rederive: async () => now }));

    expect(resumed.outcome).toBe('succeeded');
    expect(w.s3.applied.slice(-2).map((change) => `${change.action} ${change.address.kind}`)).toEqual([
      'adopt Bucket',
      'adopt BucketVersioning',
    ]);
    expect(w.s3.get(at.bucket)?.owned).toBe(true);
  });

  it('on resume, refuses a setting of a bucket the earlier run only found in place', async () => {
    const w = bucketAndVersioning();
    w.s3.seed(at.bucket, specs.bucket());
    w.s3.failApply(1);
    await applyPlan(w.input());
    const suspended = w.s3.writeConcurrently(at.versioning, { status: 'Suspended' });
    const now = rederivedAs(w.saved.plan, [
      [
        at.versioning,
        {
          action: 'update',
          before: suspended.spec,
          attributes: [{ path: 'status', before: 'Suspended', after: 'Enabled' }],
          fingerprint: suspended.fingerprint,
        },
      ],
    ]);

    const resumed = await applyPlan(w.input({ resume: { history: w.audit.history() }, rederive: async () => now }));

    expect(resumed.failed[0]?.error.message).toContain('(planned create, now update: status "Suspended" → "Enabled")');
    expect(w.s3.get(at.versioning)?.spec).toEqual({ status: 'Suspended' });
  });
});
