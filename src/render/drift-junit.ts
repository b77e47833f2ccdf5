/**
 * A drift check as JUnit XML, so CI systems show drift as failed tests: one testsuite per environment, one testcase
 * per resource. Drifted resources (effective, missing, unmanaged) fail with their differences and who changed them;
 * ignored ones are skipped with the rule's reason; cosmetic and in-sync ones pass. An environment that could not be
 * checked is one errored testcase, so the others still show.
 */
import { addressKey, type ResourceAddress } from '../model/address.js';
import type { DriftFinding, DriftReport, DriftRun, EnvironmentDrift, IgnoredFinding } from '../drift/types.js';
import { attribution, inlineDifference, onlyLive, untilText } from './drift-view.js';
import { escapeXml } from './escape/xml.js';
import { formatValue, leafKey } from './format-value.js';
import { compareAddressesForDisplay, displayName } from './names.js';

interface TestCase {
  address: ResourceAddress;
  xml: string;
}

export function renderDriftJunit(run: DriftRun): string {
  const suites = run.environments.map((entry) => suite(entry, run.checkedAt));
  const tests = suites.reduce((sum, s) => sum + s.tests, 0);
  const failures = suites.reduce((sum, s) => sum + s.failures, 0);
  const errors = suites.reduce((sum, s) => sum + s.errors, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="strata drift" tests="${tests}" failures="${failures}" errors="${errors}" timestamp="${escapeXml(run.checkedAt)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(
  entry: EnvironmentDrift,
  checkedAt: string,
): { xml: string; tests: number; failures: number; errors: number } {
  const name = escapeXml(entry.environment);
  if (entry.status === 'failed') {
    const error = `      <error type="check" message="${escapeXml(firstLine(entry.error))}">${escapeXml(entry.error)}</error>`;
    const testcase = `    <testcase classname="${name}" name="check ${name}">\n${error}\n    </testcase>`;
    return {
      xml: `  <testsuite name="${name}" tests="1" failures="0" errors="1" skipped="0" timestamp="${escapeXml(checkedAt)}">\n${testcase}\n  </testsuite>`,
      tests: 1,
      failures: 0,
      errors: 1,
    };
  }
  const { report } = entry;
  const cases = testCases(report).sort((a, b) => compareAddressesForDisplay(a.address, b.address));
  const failures = report.findings.filter(isFailure).length;
  const skipped = cases.filter((c) => c.xml.includes('<skipped ')).length;
  const attributes = `tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${escapeXml(report.checkedAt)}"`;
  return {
    xml: [`  <testsuite name="${name}" ${attributes}>`, ...cases.map((c) => c.xml), '  </testsuite>'].join('\n'),
    tests: cases.length,
    failures,
    errors: 0,
  };
}

function isFailure(finding: DriftFinding): boolean {
  return finding.class !== 'cosmetic' && finding.class !== 'settling';
}

/** One per resource: a finding, else what its ignore rules accepted, else in sync. */
function testCases(report: DriftReport): TestCase[] {
  const byKey = new Map<string, TestCase>();
  for (const address of report.inSync) byKey.set(addressKey(address), { address, xml: testcase(report, address, '') });
  for (const ignored of report.ignored) {
    const key = addressKey(ignored.address);
    if (byKey.has(key)) continue;
    const reasons = report.ignored
      .filter((other) => addressKey(other.address) === key)
      .map((other) => `${other.rule.reason}${untilText(other.rule.until)}`);
    const skipped = `      <skipped message="${escapeXml(`ignored: ${reasons.join('; ')}`)}"/>`;
    byKey.set(key, { address: ignored.address, xml: testcase(report, ignored.address, skipped) });
  }
  for (const finding of report.findings) {
    const key = addressKey(finding.address);
    const accepted = report.ignored.filter((ignored) => addressKey(ignored.address) === key).map(ignoredNote);
    const body = isFailure(finding)
      ? `      <failure type="${finding.class}" message="${escapeXml(message(finding))}">${escapeXml([detail(finding), ...accepted].join('\n'))}</failure>`
      : `      <system-out>${escapeXml(`cosmetic only:\n${detail(finding)}`)}</system-out>`;
    byKey.set(key, { address: finding.address, xml: testcase(report, finding.address, body) });
  }
  return [...byKey.values()];
}

function testcase(report: DriftReport, address: ResourceAddress, body: string): string {
  const classname = escapeXml(`${report.environment}.${address.system}.${address.kind}`);
  const open = `    <testcase classname="${classname}" name="${escapeXml(displayName(address))}"`;
  return body === '' ? `${open}/>` : `${open}>\n${body}\n    </testcase>`;
}

/** The one line a CI summary shows. */
function message(finding: DriftFinding): string {
  if (finding.class === 'missing') return 'missing: declared, not found';
  if (finding.class === 'unmanaged') return `unmanaged: ${finding.reason ?? 'not declared or owned by strata'}`;
  if (onlyLive(finding)) return `effective: ${finding.reason ?? 'no longer declared'}`;
  const parts = finding.attributes.map((attribute) => {
    const who = attribution(attribute);
    return `${attribute.path}${who === undefined ? '' : ` (${who})`}`;
  });
  return `effective: ${parts.join(', ') || finding.reason || 'differs'}`;
}

/** Every difference, one per line, with who changed it. */
function detail(finding: DriftFinding): string {
  const lines = finding.reason === undefined ? [] : [finding.reason];
  for (const attribute of finding.attributes) {
    const inline =
      inlineDifference(attribute, finding) ?? blockValues(attribute.declared, attribute.live, leafKey(attribute.path));
    const who = attribution(attribute);
    lines.push(`${attribute.path}: ${inline}${who === undefined ? '' : ` (${who})`}`);
  }
  return lines.join('\n');
}

/** A difference on a drifted resource that a rule accepts, said beside the ones that fail. */
function ignoredNote(ignored: IgnoredFinding): string {
  const paths =
    ignored.rule.path === undefined ? 'everything' : ignored.attributes.map((attribute) => attribute.path).join(', ');
  return `ignored: ${paths}: ${ignored.rule.reason}${untilText(ignored.rule.until)}`;
}

function blockValues(declared: unknown, live: unknown, key: string): string {
  return `declared ${formatValue(declared, key)}, live ${formatValue(live, key)}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
