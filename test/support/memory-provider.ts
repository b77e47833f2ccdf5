/**
 * An in-memory implementation of strata's own Provider and EnvironmentLock interfaces (not a mock of any client
 * library), for the applier's unit tests. Resources live in a Map keyed by address; every write that changes a
 * resource bumps a global version, like a Kubernetes resourceVersion, and conditional writes are refused on a stale
 * one. Fault hooks let a test fail the Nth write, delay or gate writes, and write concurrently as someone else.
 */
import { isDeepStrictEqual } from 'node:util';
import { addressKey, type ResourceAddress, type System } from '../../src/model/address.js';
import type { Change } from '../../src/model/plan.js';
import type { AnySpec, ObservedResource } from '../../src/model/resources.js';
import { LockHeldError } from '../../src/errors/lock-held-error.js';
import { ProviderError } from '../../src/errors/provider-error.js';
import type { Actor, LockHolder } from '../../src/model/actor.js';
import type { EnvironmentLock, HeldLock, Provider, Scope, StepOutcome } from '../../src/providers/provider.js';

type Fault = { kind: 'before-write' | 'after-write'; error: Error };

export class MemoryProvider implements Provider {
  /** Every apply call, in the order it was made. */
  readonly applied: Change[] = [];
  reads = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** Runs inside each apply before the write lands: await a gate, sleep, or write concurrently. */
  beforeWrite: ((change: Change) => Promise<void> | void) | undefined;

  private readonly resources = new Map<string, ObservedResource>();
  private readonly faults = new Map<number, Fault>();
  private readFault: Error | undefined;
  private readonly rewrites = new Map<string, (spec: AnySpec) => AnySpec>();
  private version = 100;

  constructor(
    readonly system: System,
    readonly source: string,
  ) {}

  /** Puts a resource in place as if it had been there before the plan was made. */
  seed(address: ResourceAddress, spec: unknown, options: { owned?: boolean } = {}): ObservedResource {
    return this.store(address, spec as AnySpec, options.owned ?? true);
  }

  get(address: ResourceAddress): ObservedResource | undefined {
    const found = this.resources.get(addressKey(address));
    return found && structuredClone(found);
  }

  /** Someone else writes the resource (same spec unless given): its fingerprint moves. */
  writeConcurrently(address: ResourceAddress, spec?: unknown): ObservedResource {
    const current = this.resources.get(addressKey(address));
    const next = spec ?? current?.spec;
    if (next === undefined) throw new Error(`nothing to write at ${addressKey(address)}`);
    return this.store(address, next, current?.owned ?? false, { alwaysBump: true });
  }

  deleteConcurrently(address: ResourceAddress): void {
    this.resources.delete(addressKey(address));
  }

  /** The Nth apply call (1-based, counted over this provider's life) fails before anything is written. */
  failApply(
    n: number,
    error: Error = new ProviderError('Internal Server Error', { status: 500, retryable: true }),
  ): void {
    this.faults.set(n, { kind: 'before-write', error });
  }

  /** The Nth apply call writes, then fails: the server committed but the answer was lost (connection reset). */
  failAfterWrite(
    n: number,
    error: Error = new ProviderError('socket hang up (ECONNRESET)', { retryable: true }),
  ): void {
    this.faults.set(n, { kind: 'after-write', error });
  }

  /** The next read fails (the server is unreachable before anything was written). */
  failNextRead(error: Error = new ProviderError('connect ECONNREFUSED 127.0.0.1:6443', { retryable: true })): void {
    this.readFault = error;
  }

  /** The server keeps something other than what was written (a webhook, a controller, a default it fills in). */
  rewriteWrites(address: ResourceAddress, rewrite: (spec: AnySpec) => AnySpec): void {
    this.rewrites.set(addressKey(address), rewrite);
  }

  /** Every apply waits `ms` before its write lands. */
  delayWrites(ms: number): void {
    this.beforeWrite = () => new Promise((resolve) => setTimeout(resolve, ms));
  }

  async observe(scope: Scope, signal: AbortSignal) {
    signal.throwIfAborted();
    const declared = new Set(scope.desired.map((resource) => addressKey(resource.address)));
    const resources = [...this.resources.values()].filter(
      (resource) => resource.owned || declared.has(addressKey(resource.address)),
    );
    return { resources: structuredClone(resources), capabilities: [], source: `memory ${this.system}` };
  }

  async read(address: ResourceAddress, signal: AbortSignal): Promise<ObservedResource | undefined> {
    signal.throwIfAborted();
    this.reads += 1;
    const fault = this.readFault;
    this.readFault = undefined;
    if (fault) throw fault;
    return this.get(address);
  }

  async apply(change: Change, options: { dryRun: boolean; signal: AbortSignal }): Promise<StepOutcome> {
    options.signal.throwIfAborted();
    this.applied.push(change);
    const fault = this.faults.get(this.applied.length);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.beforeWrite?.(change);
      if (fault?.kind === 'before-write') throw fault.error;
      if (!options.dryRun) this.write(change);
      if (fault?.kind === 'after-write') throw fault.error;
    } finally {
      this.inFlight -= 1;
    }
    const observed = this.get(change.address);
    return observed ? { observed } : {};
  }

  private write(change: Change): void {
    const key = addressKey(change.address);
    const current = this.resources.get(key);
    switch (change.action) {
      case 'delete':
        this.resources.delete(key);
        return;
      case 'replace':
        this.resources.delete(key);
        break;
      case 'create':
        // S3 settings are PUT whole: creating one overwrites what a new bucket came with.
        if (current && this.system !== 's3')
          throw new ProviderError(`${change.address.kind} "${change.address.name}" already exists`, {
            address: change.address,
            status: 409,
          });
        break;
      case 'update':
      case 'adopt':
        // Conditional on the version the plan saw, as server-side apply with a resourceVersion is.
        if (current && change.fingerprint !== undefined && current.fingerprint !== change.fingerprint) {
          throw new ProviderError(
            'the object has been modified; please apply your changes to the latest version and try again',
            {
              address: change.address,
              status: 409,
            },
          );
        }
        break;
      default:
        throw new ProviderError(`nothing to apply for a ${change.action} change`, { address: change.address });
    }
    const rewrite = this.rewrites.get(key) ?? ((spec: AnySpec) => spec);
    this.store(change.address, rewrite(structuredClone(change.after) as AnySpec), true);
  }

  private store(
    address: ResourceAddress,
    spec: AnySpec,
    owned: boolean,
    options: { alwaysBump?: boolean } = {},
  ): ObservedResource {
    const key = addressKey(address);
    const current = this.resources.get(key);
    // A write that changes nothing keeps the version, as the Kubernetes API server does.
    const unchanged =
      current !== undefined && isDeepStrictEqual(current.spec, spec) && current.owned === owned && !options.alwaysBump;
    const resource: ObservedResource = {
      address: structuredClone(address),
      spec: structuredClone(spec),
      fingerprint: unchanged ? current.fingerprint : String((this.version += 1)),
      owned,
    };
    this.resources.set(key, resource);
    return structuredClone(resource);
  }
}

/** One environment's lock, held in memory. `heldBy` simulates another holder; `loseLock` a failed renewal. */
export class MemoryLock implements EnvironmentLock {
  acquired = 0;
  released = 0;
  holder: LockHolder | undefined;
  private lostController = new AbortController();

  constructor(
    readonly environment: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  heldBy(holder: Actor, since: string): void {
    this.holder = { ...holder, since, expiresAt: new Date(Date.parse(since) + 60_000).toISOString() };
  }

  loseLock(): void {
    this.lostController.abort(new Error('lease renewal failed'));
  }

  async acquire(holder: Actor & { planHash?: string }, signal: AbortSignal): Promise<HeldLock> {
    signal.throwIfAborted();
    if (this.holder) throw new LockHeldError(this.environment, this.holder);
    const since = this.now();
    this.holder = {
      ...holder,
      since: since.toISOString(),
      expiresAt: new Date(since.getTime() + 60_000).toISOString(),
    };
    this.acquired += 1;
    this.lostController = new AbortController();
    const held = this.holder;
    return {
      holder: held,
      lost: this.lostController.signal,
      release: async () => {
        this.released += 1;
        if (this.holder === held) this.holder = undefined;
      },
    };
  }

  async inspect(): Promise<LockHolder | undefined> {
    return this.holder;
  }

  async breakLock(options: { force: boolean }): Promise<LockHolder | undefined> {
    const holder = this.holder;
    if (holder && !options.force && Date.parse(holder.expiresAt) > this.now().getTime()) {
      throw new LockHeldError(this.environment, holder, 'it is still live; pass --force to break it');
    }
    this.holder = undefined;
    this.loseLock();
    return holder;
  }
}
