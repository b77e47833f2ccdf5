/**
 * What the planner and the applier know of a live system. Implementations live beside this file and are the only
 * code that talks to Kubernetes or S3.
 */
import type { ResourceAddress, System } from '../model/address.js';
import type { Change } from '../model/plan.js';
import type { CapabilityReport, DesiredResource, ObservedResource } from '../model/resources.js';

/** What to look at: the resources an environment declares, and its ownership label value. */
export interface Scope {
  environment: string;
  desired: DesiredResource[];
}

export interface StepOutcome {
  /** The resource as read back after the change (absent after a delete). */
  observed?: ObservedResource;
}

export interface Provider {
  readonly system: System;
  /** Reads every resource in scope, plus the owned resources strata may have to delete. */
  observe(scope: Scope, signal: AbortSignal): Promise<{ resources: ObservedResource[]; capabilities: CapabilityReport[]; source: string }>;
  /** Re-reads one resource right before changing it (stale-plan check). */
  read(address: ResourceAddress, signal: AbortSignal): Promise<ObservedResource | undefined>;
  /** Carries out one change and reads the resource back. */
  apply(change: Change, options: { dryRun: boolean; signal: AbortSignal }): Promise<StepOutcome>;
}
