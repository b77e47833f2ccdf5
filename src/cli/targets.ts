/**
 * Where an environment's live state is: the environment file says, and flags or the standard variables override it
 * without editing files (CI, tests, a local test cluster). Precedence: flag > environment variable > environment file.
 */
import type { System } from '../model/address.js';
import type { DesiredState } from '../model/desired.js';
import { UserError } from '../errors/user-error.js';
import type { EnvironmentLock, Provider } from '../providers/provider.js';
import { connectKubernetes } from '../providers/kubernetes/connect.js';
import { createEventRecorder, type EventRecorder } from '../providers/kubernetes/events.js';
import { createLeaseLock } from '../providers/kubernetes/lease-lock.js';
import { createKubernetesProvider } from '../providers/kubernetes/provider.js';
import { createS3Provider } from '../providers/s3/index.js';
import { resolveS3Target } from '../providers/s3/target.js';
import { requestTimeoutsFrom, type TimeoutFlags } from './time-limits.js';

export interface TargetFlags extends TimeoutFlags {
  kubeconfig?: string;
  context?: string;
  s3Endpoint?: string;
}

/** Which systems an environment touches: only those are contacted, so a bucket-only file needs no kubeconfig. */
export function systemsOf(desired: DesiredState): System[] {
  const systems = new Set(desired.resources.map((resource) => resource.address.system));
  if (desired.document.targets?.kubernetes) systems.add('kubernetes');
  return (['kubernetes', 's3'] as const).filter((system) => systems.has(system));
}

export function createProviders(
  desired: DesiredState,
  flags: TargetFlags,
  env: NodeJS.ProcessEnv,
): Partial<Record<System, Provider>> {
  const providers: Partial<Record<System, Provider>> = {};
  const timeouts = requestTimeoutsFrom(flags, env);
  for (const system of systemsOf(desired)) {
    if (system === 'kubernetes') {
      providers.kubernetes = createKubernetesProvider({
        environment: desired.environment,
        ...kubernetesTarget(desired, flags),
        env,
        timeouts,
      });
    } else {
      const target = resolveS3Target({ endpointFlag: flags.s3Endpoint, declared: desired.document.targets?.s3 }, env);
      providers.s3 = createS3Provider({
        environment: desired.environment,
        ...target,
        credentials: credentialsIn(env),
        timeouts,
      });
    }
  }
  return providers;
}

/**
 * Keys in the command's environment are used as given (the SDK's own chain reads only the process's environment);
 * without them the AWS default chain applies: profiles, SSO, instance roles.
 */
function credentialsIn(env: NodeJS.ProcessEnv) {
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = env;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** The environment's apply lock: a Lease in the environment's own cluster, next to what it guards. */
export function createLock(desired: DesiredState, flags: TargetFlags, env: NodeJS.ProcessEnv): EnvironmentLock {
  if (!systemsOf(desired).includes('kubernetes') && flags.kubeconfig === undefined && flags.context === undefined) {
    throw new UserError(
      `environment ${desired.environment} has no Kubernetes target to hold its apply lock (a Lease)`,
      {
        hint: 'add targets.kubernetes with the cluster that should hold it, or pass --kubeconfig/--context',
      },
    );
  }
  const connection = connectKubernetes(kubernetesTarget(desired, flags), env);
  return createLeaseLock({
    kubeConfig: connection.kubeConfig,
    environment: desired.environment,
    timeouts: requestTimeoutsFrom(flags, env),
  });
}

/** Where apply tells the cluster what it did, as events on the objects; none without a Kubernetes target. */
export function createStepEventRecorder(
  desired: DesiredState,
  flags: TargetFlags,
  env: NodeJS.ProcessEnv,
  host: string,
): EventRecorder | undefined {
  if (!systemsOf(desired).includes('kubernetes')) return undefined;
  const connection = connectKubernetes(kubernetesTarget(desired, flags), env);
  return createEventRecorder({ kubeConfig: connection.kubeConfig, host, timeouts: requestTimeoutsFrom(flags, env) });
}

function kubernetesTarget(desired: DesiredState, flags: TargetFlags) {
  return { kubeconfigPath: flags.kubeconfig, context: flags.context ?? desired.document.targets?.kubernetes?.context };
}
