/**
 * Backup coverage as Markdown, for a pull-request comment or a CI job summary: the counts, one table row per backup
 * (or per volume marked none or not covered), then validation's findings about backups as a list.
 */
import type { CoverageReport, VolumeCoverage } from '../coverage/report.js';
import { formatDiagnostic } from '../model/diagnostic.js';
import { countsLine, lifetimeParts, NOT_COVERED, NOT_COVERED_NOTE, scheduleText, volumeLabel } from './backups-view.js';
import { markdownText } from './escape/markdown.js';

export function renderBackupsMarkdown(report: CoverageReport): string {
  const lines = [
    `### strata backups · ${markdownText(report.environment)}`,
    '',
    `${markdownText(countsLine(report))} (${markdownText(report.file)})`,
    '',
    '| volume | backup | schedule | keep | destination | copies last |',
    '|---|---|---|---|---|---|',
    ...report.volumes.flatMap(volumeRows),
  ];
  if (report.findings.length > 0) {
    lines.push(
      '',
      '#### Findings',
      '',
      ...report.findings.map((finding) => `- ${markdownText(formatDiagnostic(finding))}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

function volumeRows(volume: VolumeCoverage): string[] {
  const label = markdownText(volumeLabel(volume));
  switch (volume.status) {
    case 'uncovered':
      return [`| ${label} | **${NOT_COVERED}**: ${markdownText(NOT_COVERED_NOTE)} | | | | |`];
    case 'none':
      return [`| ${label} | none: ${markdownText(volume.reason)} | | | | |`];
    case 'covered':
      return volume.backups.map((backup) => {
        const cells = [
          label,
          markdownText(backup.name),
          markdownText(scheduleText(backup)),
          `${backup.keepDays}d`,
          markdownText(backup.destination),
          markdownText(lifetimeParts(backup).join('; ')),
        ];
        return `| ${cells.join(' | ')} |`;
      });
  }
}
