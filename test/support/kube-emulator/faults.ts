/**
 * Per-test fault rules, matched against each API request: added latency, a 500/503, a 429 with Retry-After, a reset
 * connection, or a 409 on the Nth write. A rule without filters matches every request, discovery included.
 */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'discovery';

export interface FaultRule {
  verb?: Verb;
  /** Plural resource name, e.g. `persistentvolumeclaims`. */
  resource?: string;
  namespace?: string;
  name?: string;
  latencyMs?: number;
  status?: 500 | 503 | 429;
  retryAfterSeconds?: number;
  reset?: true;
  /** Answers the Nth matching write with the stale-resourceVersion 409 (the rule fires once unless `times` says more). */
  conflictOnNthWrite?: number;
  /** How many matching requests the rule affects; unlimited when absent. */
  times?: number;
}

export interface RequestFacts {
  verb: Verb;
  resource?: string;
  namespace?: string;
  name?: string;
}

export interface FaultDecision {
  latencyMs: number;
  status?: 500 | 503 | 429;
  retryAfterSeconds?: number;
  reset: boolean;
  conflict: boolean;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  fired: number;
  writesSeen: number;
}

const WRITES: Verb[] = ['create', 'update', 'patch', 'delete'];

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ id, rule, fired: 0, writesSeen: 0 });
    return id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((active) => active.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  decide(request: RequestFacts): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, reset: false, conflict: false };
    for (const active of this.rules) {
      const { rule } = active;
      if (!matches(rule, request)) continue;
      const limit = rule.times ?? (rule.conflictOnNthWrite !== undefined ? 1 : Number.POSITIVE_INFINITY);
      if (active.fired >= limit) continue;
      if (rule.conflictOnNthWrite !== undefined) {
        if (!WRITES.includes(request.verb)) continue;
        active.writesSeen += 1;
        if (active.writesSeen < rule.conflictOnNthWrite) continue;
        decision.conflict = true;
      }
      active.fired += 1;
      decision.latencyMs += rule.latencyMs ?? 0;
      decision.reset ||= rule.reset === true;
      if (rule.status && decision.status === undefined) {
        decision.status = rule.status;
        decision.retryAfterSeconds = rule.retryAfterSeconds;
      }
    }
    return decision;
  }
}

function matches(rule: FaultRule, request: RequestFacts): boolean {
  return (
    (rule.verb === undefined || rule.verb === request.verb) &&
    (rule.resource === undefined || rule.resource === request.resource) &&
    (rule.namespace === undefined || rule.namespace === request.namespace) &&
    (rule.name === undefined || rule.name === request.name)
  );
}
