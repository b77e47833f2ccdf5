/** Backup coverage for machines: the versioned report, keys sorted at every depth, 2-space indent, a final newline. */
import type { CoverageReport } from '../coverage/report.js';
import { canonicalize } from '../model/canonical.js';

export function renderBackupsJson(report: CoverageReport): string {
  return `${JSON.stringify(canonicalize(report), null, 2)}\n`;
}
