/**
 * The machine form of a drift check: the versioned run (every environment's report, or its error), keys sorted at
 * every depth, 2-space indent and a trailing newline, so CI can diff two nights' reports.
 */
import type { DriftRun } from '../drift/types.js';
import { canonicalize } from '../model/canonical.js';

export function renderDriftJson(run: DriftRun): string {
  return `${JSON.stringify(canonicalize(run), null, 2)}\n`;
}
