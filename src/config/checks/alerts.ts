/** Capacity alerts: thresholds in order, a wait only for a threshold declared, and a quota under namespace alerts. */
import type { AlertsDeclaration } from '../../model/environment.js';
import { percentOf } from '../alert-rules.js';
import { pointer } from '../pointer.js';
import { type Check, type Finding, entries, error } from './check.js';

export const checkAlerts: Check = ({ document, accepted }) => {
  const findings: Finding[] = [];
  for (const [namespaceKey, namespace] of entries(document.namespaces)) {
    const namespacePath = pointer('namespaces', namespaceKey, 'alerts');
    if (namespace.alerts && accepted(namespacePath)) {
      findings.push(...thresholdFindings(namespacePath, namespace.alerts));
      if (!namespace.quota) {
        findings.push(
          error(
            namespacePath,
            `namespace alerts watch the namespace's storage quota, and namespace \`${namespaceKey}\` declares none; declare quota (e.g. quota: { requests.storage: 1Ti }), or move alerts to each of its volumes`,
            'key',
          ),
        );
      }
    }
    for (const [volumeKey, volume] of entries(namespace.volumes)) {
      const path = pointer('namespaces', namespaceKey, 'volumes', volumeKey, 'alerts');
      if (volume.alerts && accepted(path)) findings.push(...thresholdFindings(path, volume.alerts));
    }
  }
  return findings;
};

function thresholdFindings(path: string, alerts: AlertsDeclaration): Finding[] {
  const { warning, critical } = alerts;
  if (warning === undefined && critical === undefined)
    return [
      error(
        path,
        'alerts declare no threshold; write warning, critical or both, e.g. { warning: 75%, critical: 90% }',
        'key',
      ),
    ];
  const findings: Finding[] = [];
  if (warning !== undefined && critical !== undefined && percentOf(warning) >= percentOf(critical)) {
    findings.push(
      error(
        `${path}/warning`,
        `warning ${warning} is not below critical ${critical}; warning is the earlier alert, so write a lower share (e.g. warning: 75%, critical: 90%)`,
      ),
    );
  }
  for (const severity of ['warning', 'critical'] as const) {
    if (alerts.for?.[severity] !== undefined && alerts[severity] === undefined) {
      findings.push(
        error(
          `${path}/for/${severity}`,
          `for.${severity} waits on a ${severity} threshold that is not declared; declare ${severity} (e.g. ${severity}: ${severity === 'warning' ? '75%' : '90%'}) or remove for.${severity}`,
          'key',
        ),
      );
    }
  }
  return findings;
}
