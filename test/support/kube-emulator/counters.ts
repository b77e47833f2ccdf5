/** Requests counted by `<verb> <resource>` (e.g. `list persistentvolumeclaims`), for benchmarks of API calls per plan. */
export class RequestCounters {
  private counts = new Map<string, number>();

  count(verb: string, resource: string): void {
    const key = `${verb} ${resource}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  byVerbAndResource(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  total(): number {
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0);
  }

  reset(): void {
    this.counts.clear();
  }
}
