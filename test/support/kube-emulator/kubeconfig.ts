/** A kubeconfig for the emulator: plain http with insecure-skip-tls-verify (client-node needs it for http://), a token user. */
export function kubeconfigFor(url: string, contextName: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${contextName}`,
    '  cluster:',
    `    server: ${url}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${contextName}`,
    '  user:',
    '    token: strata-emulator-token',
    'contexts:',
    `- name: ${contextName}`,
    '  context:',
    `    cluster: ${contextName}`,
    `    user: ${contextName}`,
    '    namespace: default',
    `current-context: ${contextName}`,
    'preferences: {}',
    '',
  ].join('\n');
}
