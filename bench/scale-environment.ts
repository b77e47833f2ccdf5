/**
 * A platform-scale environment file: the seeded Kubernetes part (N namespaces × M claims, as the observe benchmark and
 * the request-counting test declare it) and B versioned buckets with tags, public access blocked and two lifecycle
 * rules each, as the scale measurements of issue 15 used.
 */
import { seededEnvironment, type SeedSize } from '../test/e2e/support/seed.js';

export function scaleEnvironment(environment: string, size: SeedSize & { buckets: number }): string {
  const kubernetesOnly = `targets: { kubernetes: { context: ${environment} } }`;
  const text = seededEnvironment(environment, size, environment).replace(
    kubernetesOnly,
    `targets: { kubernetes: { context: ${environment} }, s3: { region: us-east-1, endpoint: "http://127.0.0.1:7480" } }`,
  );
  if (size.buckets === 0) return text;
  const lines = ['buckets:'];
  for (let index = 0; index < size.buckets; index += 1) {
    const key = `data-${String(index).padStart(4, '0')}`;
    lines.push(
      `  ${key}:`,
      `    name: ${environment}-${key}`,
      '    versioning: true',
      '    publicAccess: blocked',
      '    tags: { team: platform }',
      '    lifecycle:',
      '      - { id: cleanup, noncurrentExpireAfter: 30d, abortIncompleteUploadsAfter: 7d }',
      '      - { id: logs, prefix: logs/, expireAfter: 90d }',
    );
  }
  return `${text}${lines.join('\n')}\n`;
}
