/** A duration as people read it in a progress line or a header: one decimal, `0.8s`. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
