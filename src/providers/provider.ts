/**
 * What the planner and the applier know of a live system. Implementations live beside this file and are the only
 * code that talks to Kubernetes or S3.
 */
import type { Actor, LockHolder } from '../model/actor.js';
import type { ResourceAddress, System } from '../model/address.js';
import type { Change } from '../model/plan.js';
import type { CapabilityReport, DesiredResource, ObservedResource } from '../model/resources.js';

/** What to look at: the resources an environment declares, and its ownership label value. */
export interface Scope {
  environment: string;
  desired: DesiredResource[];
}

export interface ApplyOptions {
  dryRun: boolean;
  /** Aborts at the step's deadline: requests in flight and every wait end then. */
  signal: AbortSignal;
  readBefore?: ObservedResource;
}

export interface StepOutcome {
  /** The resource as read back after the change (absent after a delete). */
  observed?: ObservedResource;
  /** What the system has yet to finish after an accepted write (a resize waiting on the file system), for people. */
  pending?: string;
}

export interface Provider {
  readonly system: System;
  /** Where it reads and writes, as plans record it: `context <name> (<server>)`, `<region> (<endpoint>)`. */
  readonly source: string;
  /** Reads every resource in scope, plus the owned resources strata may have to delete. */
  observe(
    scope: Scope,
    signal: AbortSignal,
  ): Promise<{ resources: ObservedResource[]; capabilities: CapabilityReport[]; source: string }>;
  /** Re-reads one resource right before changing it (stale-plan check). */
  read(address: ResourceAddress, signal: AbortSignal): Promise<ObservedResource | undefined>;
  /**
   * Carries out one change and reads the resource back. `readBefore` is the resource as read right before (by `read`):
   * the write is then conditional on the server's version of that read, so nothing written in between is overwritten.
   */
  apply(change: Change, options: ApplyOptions): Promise<StepOutcome>;
}

/** The environment lock held while applying (a Kubernetes Lease). */
export interface EnvironmentLock {
  /** Takes the lock or fails at once with LockHeldError naming the holder and since when. */
  acquire(holder: Actor & { planHash?: string }, signal: AbortSignal): Promise<HeldLock>;
  /** Who holds it now, if anyone (expired holders included, flagged by expiresAt). */
  inspect(signal: AbortSignal): Promise<LockHolder | undefined>;
  /** Breaks a lock; refuses a live (unexpired) one unless `force`. Returns who held it. */
  breakLock(options: { force: boolean }, signal: AbortSignal): Promise<LockHolder | undefined>;
}

export interface HeldLock {
  readonly holder: LockHolder;
  /** Renewal failed (someone broke the lock): the applier stops scheduling new steps. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}
