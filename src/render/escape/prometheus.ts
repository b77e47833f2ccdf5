/** Text for the Prometheus text exposition format. */

/** A label value: backslash, double quote and line feed escaped, the format's three; everything else is carried as is. */
export function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
