/**
 * Backup coverage for a terminal: a header, the counts, each volume with its backups (schedule, keep, destination and
 * how long the copies last), its reason for none, or NOT COVERED; then validation's findings about backups, as
 * `strata validate` prints them.
 */
import type { CoverageReport, VolumeCoverage } from '../coverage/report.js';
import { countsLine, lifetimeParts, NOT_COVERED, NOT_COVERED_NOTE, scheduleText, volumeLabel } from './backups-view.js';
import { renderDiagnostics } from './diagnostics.js';
import { terminalText } from './escape/terminal.js';
import { createStyle, type Style } from './style.js';
import { DEFAULT_WIDTH } from './text-layout.js';
import { wrapWords } from './wrap.js';

export interface BackupsTextOptions {
  color: boolean;
  /** The environment file's text, for an excerpt under each finding. */
  source?: (file: string) => string | undefined;
}

export function renderBackupsText(report: CoverageReport, options: BackupsTextOptions): string {
  const style = createStyle(options.color);
  const sections = [
    [style.bold(terminalText(`strata backups ${report.environment} · ${report.file}`)), countsLine(report)],
    report.volumes.flatMap((volume) => volumeLines(volume, style)),
  ];
  if (report.findings.length > 0) {
    sections.push([
      style.bold('Findings'),
      ...renderDiagnostics(report.findings, { color: options.color, source: options.source }),
    ]);
  }
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function volumeLines(volume: VolumeCoverage, style: Style): string[] {
  const title = style.bold(terminalText(volumeLabel(volume)));
  switch (volume.status) {
    case 'uncovered':
      return [title, `  ${style.red(NOT_COVERED)}: ${NOT_COVERED_NOTE}`];
    case 'none':
      return [title, `  ${style.dim('none:')} ${terminalText(volume.reason)}`];
    case 'covered':
      return [
        title,
        ...volume.backups.flatMap((backup) => [
          `  ${style.green(terminalText(backup.name))} · ${terminalText(scheduleText(backup))} · keep ${backup.keepDays}d → ${terminalText(backup.destination)}`,
          ...wrapWords(terminalText(lifetimeParts(backup).join(' · ')), DEFAULT_WIDTH - 4).map((line) => `    ${line}`),
        ]),
      ];
  }
}
