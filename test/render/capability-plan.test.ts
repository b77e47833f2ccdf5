/** The shipped dev.yaml planned against a Ceph RGW 16, which lacks bucket default encryption. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPlan } from '../../src/plan/index.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { NOW, desired, desiredState, observedState } from '../fixtures/plan/builders.js';
import { devBucketsOnFreshRgw, devOnRgw } from '../fixtures/render/rgw.js';
import { expectGolden, PLAN_HASH } from './golden.js';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
const text = (plan: ReturnType<typeof createPlan>) =>
  renderPlanText(plan, { color: false, savedTo: 'plans/dev.plan.json', planHash: PLAN_HASH });

describe('a plan against an S3 server without default encryption', () => {
  it('gives each bucket one short line and explains the server once, as reviewed', async () => {
    const plan = createPlan({ ...(await devOnRgw(cwd)), now: NOW });
    expectGolden('rgw.plan.txt', text(plan));
    expectGolden('rgw.plan.md', renderPlanMarkdown(plan, { planHash: PLAN_HASH }));
  });

  it('says so once, without claiming the server lacks it, when there was nothing to probe yet', async () => {
    const plan = createPlan({ ...(await devBucketsOnFreshRgw(cwd)), now: NOW });
    expectGolden('rgw-fresh.plan.txt', text(plan));
  });

  it('says the file accepts the limitation, and lists the blocked buckets all the same', async () => {
    const { desired, observed } = await devOnRgw(cwd);
    const s3 = { ...desired.document.targets.s3, unsupported: ['encryption' as const] };
    const accepting = { ...desired, document: { ...desired.document, targets: { ...desired.document.targets, s3 } } };
    const shown = text(createPlan({ desired: accepting, observed, now: NOW }));
    expect(shown).toContain(
      '  ! s3 bucket akosha-projects-dev · encryption   blocked: unavailable on this S3 server\n',
    );
    expect(shown.replace(/\n {6}/g, ' ')).toContain(
      'It is blocked on 3 buckets; environments/dev.yaml accepts that (targets.s3.unsupported), so --detailed-exitcode does not count these blocked settings',
    );
    expect(shown).not.toContain('Apply with');
  });
});

describe('a plan against a cluster that does not serve PrometheusRule', () => {
  it('blocks the alerts in one line and says once what to install or remove, with no setting to accept it', () => {
    const rules = {
      groups: { 'volume/data': { warning: { alert: 'A', expr: 'x > 75', for: '15m', labels: {}, annotations: {} } } },
    };
    const plan = createPlan({
      desired: desiredState([desired('PrometheusRule', 'strata-storage-alerts', rules, { namespace: 'codequal-dev' })]),
      observed: observedState(
        [],
        [
          {
            capability: 'prometheus-rules',
            supported: false,
            detail: 'the cluster does not serve monitoring.coreos.com/v1 PrometheusRule (its CRD is not installed)',
          },
        ],
      ),
      now: NOW,
    });
    const shown = text(plan).replace(/\n {6}/g, ' ');
    expect(shown).toContain(
      '! kubernetes prometheusrule codequal-dev/strata-storage-alerts   blocked: the cluster does not serve monitoring.coreos.com/v1 PrometheusRule',
    );
    expect(shown).toContain(
      'note: capacity alerts: the cluster does not serve monitoring.coreos.com/v1 PrometheusRule (its CRD is not installed). It is blocked on 1 namespace, and --detailed-exitcode counts blocked settings as changes; install the Prometheus Operator (or at least its monitoring.coreos.com CRDs) on the cluster, or remove alerts from the environment file',
    );
    expect(shown).not.toContain('unsupported');
  });
});

describe('a plan against a cluster that does not serve velero.io/v1', () => {
  it('blocks each Velero object in one line and says why once, with the fix', async () => {
    const { desired, observed } = await devOnRgw(cwd);
    const velero = new Set(['Schedule', 'BackupStorageLocation']);
    const withoutVelero = {
      ...observed,
      resources: observed.resources.filter((resource) => !velero.has(resource.address.kind)),
      capabilities: [
        ...observed.capabilities,
        {
          capability: 'velero' as const,
          supported: false,
          detail:
            'the cluster does not serve velero.io/v1 BackupStorageLocation and Schedule (its CRDs are not installed)',
        },
      ],
    };
    const plan = createPlan({ desired, observed: withoutVelero, now: NOW });
    const blocked = plan.changes.filter((change) => change.needsCapability === 'velero');
    expect(blocked.map((change) => change.address.kind).sort()).toEqual(['BackupStorageLocation', 'Schedule']);
    expect(plan.changes.filter((change) => change.action !== 'no-op' && !blocked.includes(change))).toHaveLength(3);

    const shown = text(plan);
    const flat = shown.replace(/\s+/g, ' ');
    expect(flat).toContain(
      '! kubernetes velero schedule velero/codequal-dev-deepwiki-nightly blocked: the cluster does not serve velero.io/v1 !',
    );
    expect(flat).toContain(
      'note: Velero (velero.io/v1): the cluster does not serve velero.io/v1 BackupStorageLocation and Schedule (its CRDs are not installed). It is blocked on 2 velero objects, and --detailed-exitcode counts blocked settings as changes; install Velero on the cluster, or write engine: cronjob on the backups',
    );
    expect(shown.match(/CRDs are not installed/g)).toHaveLength(1);
  });
});
