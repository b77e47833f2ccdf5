/**
 * strata's own readings of Kubernetes rules, checked against the real kube-apiserver rather than against a model of
 * it: the cron schedules and time zones a CronJob accepts (with the server's words for the ones it refuses), and how
 * the server rewrites a quantity. Every case is sent as a dry run, so nothing is stored.
 */
import { randomBytes } from 'node:crypto';
import { BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubernetesScheduleErrors, kubernetesTimeZoneError } from '../../src/model/cron.js';
import { canonicalQuantity } from '../../src/model/quantity.js';
import { openTestCluster, type TestCluster } from '../support/kube/index.js';

let cluster: TestCluster;
let batch: BatchV1Api;
let core: CoreV1Api;
const namespace = `agrees-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  cluster = await openTestCluster();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
  batch = kubeConfig.makeApiClient(BatchV1Api);
  core = kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
});
afterAll(async () => {
  await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
  await cluster?.stop();
});

/** The server's complaints about spec.schedule and spec.timeZone of a CronJob, without the field and value prefix. */
async function serverErrors(schedule: string, timeZone?: string): Promise<string[]> {
  try {
    await batch.createNamespacedCronJob({
      namespace,
      dryRun: 'All',
      body: {
        metadata: { name: 'backup' },
        spec: {
          schedule,
          ...(timeZone ? { timeZone } : {}),
          jobTemplate: {
            spec: {
              template: { spec: { restartPolicy: 'Never', containers: [{ name: 'sync', image: 'amazon/aws-cli' }] } },
            },
          },
        },
      },
    });
    return [];
  } catch (error) {
    const status = JSON.parse((error as { body: string }).body) as {
      details?: { causes?: { field?: string; message?: string }[] };
    };
    return (status.details?.causes ?? [])
      .filter((cause) => cause.field === 'spec.schedule' || cause.field === 'spec.timeZone')
      .map((cause) => cause.message!.replace(/^Invalid value: "(?:[^"\\]|\\.)*": /, ''));
  }
}

describe('cron schedules', () => {
  it.each([
    '0 2 * * *',
    '*/5 * * * *',
    '@daily',
    '0 0 1 jan,jul *',
    '0 3 * * mon-fri',
    '61 * * * *',
    'foo',
    '0 2 * * 7',
    '0 0 0 * *',
    'x * * * *',
    '5-1 * * * *',
    '*/0 * * * *',
    '@fortnightly',
    'TZ=Etc/UTC 0 2 * * *',
  ])('%s: strata accepts or refuses it as kube-apiserver does, in its words', async (schedule) => {
    expect(kubernetesScheduleErrors(schedule)).toEqual(await serverErrors(schedule));
  });
});

describe('time zones', () => {
  it.each([
    'Etc/UTC',
    'UTC',
    'Europe/Berlin',
    'America/Sao_Paulo',
    'Asia/Calcutta',
    'Mars/Olympus_Mons',
    'utc',
    'EUROPE/BERLIN',
  ])('%s: strata agrees with kube-apiserver', async (timeZone) => {
    const strata = kubernetesTimeZoneError(timeZone);
    expect(strata === undefined ? [] : [strata]).toEqual(await serverErrors('0 2 * * *', timeZone));
  });
});

describe('quantities', () => {
  it.each(['1024Gi', '1024Mi', '307200Ki', '1000M', '0.5Gi', '1.5Gi', '1000Mi', '20Gi', '1Ti', '1e3'])(
    '%s: strata canonicalises it as the server stores it',
    async (size) => {
      const created = await core.createNamespacedPersistentVolumeClaim({
        namespace,
        dryRun: 'All',
        body: {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
        },
      });
      expect(canonicalQuantity(size)).toBe(created.spec?.resources?.requests?.storage);
    },
  );
});
