/**
 * Capacity alerts as Prometheus alerting rules: a claim's from the kubelet's volume stats, a namespace's from
 * kube-state-metrics' view of its storage quota. Pure; the thresholds are validated already (1%–99%, warning below
 * critical). Label values are single-quoted, which PromQL reads as double quotes, so a plan shows expr unescaped.
 */
import type { AlertsDeclaration } from '../model/environment.js';
import type { AlertRuleSpec } from '../model/resources.js';

/** The PrometheusRule that holds a namespace's capacity alerts. */
export const ALERT_RULE_NAME = 'strata-storage-alerts';

/** Critical waits less: at 90% a volume fills in hours, and a short `for` still rides out a burst of writes. */
export const DEFAULT_ALERT_FOR = { warning: '15m', critical: '5m' } as const;

export type Severity = keyof typeof DEFAULT_ALERT_FOR;
const SEVERITIES: Severity[] = ['warning', 'critical'];

/**
 * One alert name for both severities, as kube-prometheus names its own: Alertmanager's usual inhibit rule (critical
 * silences warning with equal namespace and alertname) then keeps a volume at 95% from paging twice.
 */
export const VOLUME_ALERT = 'StorageVolumeFillingUp';
export const QUOTA_ALERT = 'StorageQuotaFillingUp';

/** `75%` → 75. */
export function percentOf(text: string): number {
  return Number.parseInt(text, 10);
}

export function volumeAlertRules(
  namespace: string,
  claim: string,
  alerts: AlertsDeclaration,
): Record<string, AlertRuleSpec> {
  const selector = `{namespace='${namespace}', persistentvolumeclaim='${claim}'}`;
  return rulesOf(alerts, (severity, percent) => ({
    alert: VOLUME_ALERT,
    expr: `100 * kubelet_volume_stats_used_bytes${selector} / kubelet_volume_stats_capacity_bytes${selector} > ${percent}`,
    annotations: {
      summary: `Volume ${namespace}/${claim} is over ${percent}% full`,
      description: `{{ $value | humanize }}% of the volume is used (${severity} above ${percent}%): raise the claim's size in the environment file, or free space.`,
    },
  }));
}

/** Every limit of the quota at once (storage, per class, claim count): whichever runs out first refuses new claims. */
export function quotaAlertRules(
  namespace: string,
  quota: string,
  alerts: AlertsDeclaration,
): Record<string, AlertRuleSpec> {
  const series = (type: string) =>
    `kube_resourcequota{namespace='${namespace}', resourcequota='${quota}', type='${type}'}`;
  return rulesOf(alerts, (severity, percent) => ({
    alert: QUOTA_ALERT,
    expr: `100 * ${series('used')} / ignoring(type) ${series('hard')} > ${percent}`,
    annotations: {
      summary: `Storage quota ${namespace}/${quota} is over ${percent}% used`,
      description: `{{ $labels.resource }} is at {{ $value | humanize }}% of the quota (${severity} above ${percent}%): raise the quota in the environment file, or free claims.`,
    },
  }));
}

function rulesOf(
  alerts: AlertsDeclaration,
  rule: (severity: Severity, percent: number) => Pick<AlertRuleSpec, 'alert' | 'expr' | 'annotations'>,
): Record<string, AlertRuleSpec> {
  const rules: Record<string, AlertRuleSpec> = {};
  for (const severity of SEVERITIES) {
    const threshold = alerts[severity];
    if (threshold === undefined) continue;
    const { alert, expr, annotations } = rule(severity, percentOf(threshold));
    rules[severity] = {
      alert,
      expr,
      for: alerts.for?.[severity] ?? DEFAULT_ALERT_FOR[severity],
      labels: { severity },
      annotations,
    };
  }
  return rules;
}
