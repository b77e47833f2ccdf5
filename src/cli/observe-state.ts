/** Reads the live state of every system an environment touches, concurrently, into one Observed. */
import type { System } from '../model/address.js';
import type { DesiredState } from '../model/desired.js';
import type { Observed } from '../model/resources.js';
import type { Provider } from '../providers/provider.js';
import { UserError } from '../errors/user-error.js';
import { createProviders, type TargetFlags } from './targets.js';

const OBSERVE_TIMEOUT_MS = 120_000;

/** The live state of an environment's targets, bounded in time: a server that never answers is a user error. */
export async function observeEnvironment(
  desired: DesiredState,
  flags: TargetFlags,
  env: NodeJS.ProcessEnv,
): Promise<Observed> {
  return observeThrough(desired, createProviders(desired, flags, env));
}

/** The same, through providers already made (apply observes through the ones it writes with). */
export async function observeThrough(
  desired: DesiredState,
  providers: Partial<Record<System, Provider>>,
): Promise<Observed> {
  const signal = AbortSignal.timeout(OBSERVE_TIMEOUT_MS);
  try {
    return await observeLive(desired, providers, signal);
  } catch (error) {
    if (!signal.aborted) throw error;
    throw new UserError(`observing ${desired.environment} took longer than ${OBSERVE_TIMEOUT_MS / 1000} s`, {
      hint: 'check that the cluster and the S3 endpoint answer (kubectl get namespaces; --s3-endpoint), then try again',
    });
  }
}

export async function observeLive(
  desired: DesiredState,
  providers: Partial<Record<System, Provider>>,
  signal: AbortSignal,
): Promise<Observed> {
  const scope = { environment: desired.environment, desired: desired.resources };
  const entries = Object.entries(providers) as [System, Provider][];
  const started = performance.now();
  const results = await Promise.all(
    entries.map(async ([system, provider]) => ({ system, ...(await provider.observe(scope, signal)) })),
  );
  return {
    resources: results.flatMap((result) => result.resources),
    capabilities: results.flatMap((result) => result.capabilities),
    sources: Object.fromEntries(results.map((result) => [result.system, result.source])),
    observedInMs: Math.round(performance.now() - started),
  };
}
