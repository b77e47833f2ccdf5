/** CronJob (pkg/apis/batch/validation): schedule and time zone checked like the apiserver, names capped at 52. */
import { kubernetesScheduleErrors, kubernetesTimeZoneError } from '../../../../src/model/cron.js';
import { invalid, notSupported, required, type FieldError } from '../status.js';
import type { KubeObject } from '../store.js';
import { spec, type KindRules } from './rules.js';

interface Container {
  name?: string;
  image?: string;
  imagePullPolicy?: string;
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  resources?: Record<string, unknown>;
}

interface PodSpec {
  containers?: Container[];
  restartPolicy?: string;
  dnsPolicy?: string;
  schedulerName?: string;
  securityContext?: Record<string, unknown>;
  terminationGracePeriodSeconds?: number;
}

interface CronJobSpec {
  schedule?: string;
  timeZone?: string;
  concurrencyPolicy?: string;
  suspend?: boolean;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: { spec?: { template?: { spec?: PodSpec } } };
}

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
const POD_SPEC = 'spec.jobTemplate.spec.template.spec';

function podSpecOf(cronJob: CronJobSpec): PodSpec {
  const jobTemplate = (cronJob.jobTemplate ??= {});
  const jobSpec = (jobTemplate.spec ??= {});
  const template = (jobSpec.template ??= {});
  return (template.spec ??= {});
}

/** The defaults SetDefaults_CronJob and the pod template defaulting fill in. */
function applyDefaults(cronJob: CronJobSpec): void {
  cronJob.concurrencyPolicy ??= 'Allow';
  cronJob.suspend ??= false;
  cronJob.successfulJobsHistoryLimit ??= 3;
  cronJob.failedJobsHistoryLimit ??= 1;
  const pod = podSpecOf(cronJob);
  pod.restartPolicy ??= 'Always';
  pod.dnsPolicy ??= 'ClusterFirst';
  pod.schedulerName ??= 'default-scheduler';
  pod.securityContext ??= {};
  pod.terminationGracePeriodSeconds ??= 30;
  for (const container of pod.containers ?? []) {
    const tag = container.image?.split('/').at(-1)?.split('@')[0]?.split(':')[1];
    container.imagePullPolicy ??= tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
    container.terminationMessagePath ??= '/dev/termination-log';
    container.terminationMessagePolicy ??= 'File';
    container.resources ??= {};
  }
}

function specErrors(object: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const cronJob = spec(object) as CronJobSpec;
  const previous = old ? (spec(old) as CronJobSpec) : undefined;
  if (!cronJob.schedule) errors.push(required('spec.schedule'));
  else {
    const tzAllowed = previous?.schedule?.includes('TZ') ?? false;
    for (const message of kubernetesScheduleErrors(cronJob.schedule)) {
      if (tzAllowed && message.startsWith('cannot use TZ')) continue;
      errors.push(invalid('spec.schedule', cronJob.schedule, message));
    }
  }
  if (cronJob.timeZone !== undefined && (!previous || previous.timeZone !== cronJob.timeZone)) {
    const problem = kubernetesTimeZoneError(cronJob.timeZone);
    if (problem) errors.push(invalid('spec.timeZone', cronJob.timeZone, problem));
  }
  if (cronJob.concurrencyPolicy && !CONCURRENCY_POLICIES.includes(cronJob.concurrencyPolicy)) {
    errors.push(notSupported('spec.concurrencyPolicy', cronJob.concurrencyPolicy, CONCURRENCY_POLICIES));
  }
  const pod = podSpecOf(cronJob);
  if (!pod.containers || pod.containers.length === 0) errors.push(required(`${POD_SPEC}.containers`));
  (pod.containers ?? []).forEach((container, index) => {
    if (!container.name) errors.push(required(`${POD_SPEC}.containers[${index}].name`));
    if (!container.image) errors.push(required(`${POD_SPEC}.containers[${index}].image`));
  });
  if (pod.restartPolicy !== 'OnFailure' && pod.restartPolicy !== 'Never') {
    errors.push(notSupported(`${POD_SPEC}.restartPolicy`, pod.restartPolicy, ['OnFailure', 'Never']));
  }
  return errors;
}

export const cronJobRules: KindRules = {
  defaults(object, context) {
    if (context.subresource !== 'status') applyDefaults(spec(object) as CronJobSpec);
  },
  validate(object, context) {
    if (context.subresource === 'status') return [];
    const errors = specErrors(object, context.old);
    // The controller appends an 11-character suffix to job names, which may not exceed 63.
    if (!context.old && object.metadata.name.length > 52) errors.push(invalid('metadata.name', object.metadata.name, 'must be no more than 52 characters'));
    return errors;
  },
};
