import { describe, expect, it } from 'vitest';
import { JSON_HEADERS, statusOf, useCluster } from './harness.js';

const cronJob = (name: string, schedule: string, timeZone?: string) => ({
  metadata: { name },
  spec: {
    schedule,
    ...(timeZone ? { timeZone } : {}),
    jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'backup', image: 'velero/velero:v1.14.0' }] } } } },
  },
});

const lease = (renewTime: string) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'strata-apply-prod', namespace: 'default' },
  spec: { holderIdentity: 'ci-1234', leaseDurationSeconds: 300, acquireTime: renewTime, renewTime },
});

describe('Kubernetes API emulator: CronJobs and Leases', () => {
  const cluster = useCluster();
  const createCronJob = (body: object) => cluster().batch.createNamespacedCronJob({ namespace: 'default', body });

  it('refuses a minute past 59 with robfig/cron\'s message', async () => {
    const status = await statusOf(createCronJob(cronJob('backup', '61 * * * *')));
    expect(status.message).toBe('CronJob.batch "backup" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
  });

  it('refuses a schedule with the wrong number of fields', async () => {
    const status = await statusOf(createCronJob(cronJob('backup', 'foo')));
    expect(status.message).toBe('CronJob.batch "backup" is invalid: spec.schedule: Invalid value: "foo": expected exactly 5 fields, found 1: [foo]');
  });

  it('accepts @daily and day-of-week 0-6', async () => {
    await createCronJob(cronJob('daily', '@daily'));
    await createCronJob(cronJob('weekdays', '0 2 * * 0-6'));
    const status = await statusOf(createCronJob(cronJob('seven', '0 2 * * 7')));
    expect(status.message).toContain('end of range (7) above maximum (6): 7');
  });

  it('refuses TZ= inside the schedule', async () => {
    const status = await statusOf(createCronJob(cronJob('backup', 'TZ=UTC 0 2 * * *')));
    expect(status.message).toBe(
      'CronJob.batch "backup" is invalid: spec.schedule: Invalid value: "TZ=UTC 0 2 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    );
  });

  it('refuses an unknown time zone', async () => {
    const status = await statusOf(createCronJob(cronJob('backup', '0 2 * * *', 'Mars/Olympus')));
    expect(status.message).toBe('CronJob.batch "backup" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus');
  });

  it('refuses names over 52 characters on create', async () => {
    const name = 'a'.repeat(53);
    const status = await statusOf(createCronJob(cronJob(name, '0 2 * * *')));
    expect(status.message).toBe(`CronJob.batch "${name}" is invalid: metadata.name: Invalid value: "${name}": must be no more than 52 characters`);
  });

  it('accepts a Lease with MicroTime to six fractional digits and returns it unchanged', async () => {
    const { fetch } = cluster();
    const response = await fetch('/apis/coordination.k8s.io/v1/namespaces/default/leases', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(lease('2026-01-02T03:04:05.000000Z')) });
    expect(response.status).toBe(201);
    expect(response.body.spec.renewTime).toBe('2026-01-02T03:04:05.000000Z');
    expect(response.body.metadata.creationTimestamp).toMatch(/:\d\dZ$/);
  });

  it('answers a MicroTime with three fractional digits with 400', async () => {
    const { fetch } = cluster();
    const response = await fetch('/apis/coordination.k8s.io/v1/namespaces/default/leases', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(lease('2026-01-02T03:04:05.000Z')) });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      reason: 'BadRequest',
      message:
        'Lease in version "v1" cannot be handled as a Lease: parsing time "2026-01-02T03:04:05.000Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".000Z" as ".000000"',
    });
  });
});
