/** Finds the cluster to talk to: --kubeconfig, KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../../errors/user-error.js';

export interface KubernetesTarget {
  kubeconfigPath?: string;
  /** Context name; defaults to the kubeconfig's current-context. */
  context?: string;
}

export interface KubernetesConnection {
  kubeConfig: KubeConfig;
  contextName: string;
  /** API server URL, for messages and the plan header. Never credentials. */
  server: string;
}

export function connectKubernetes(
  target: KubernetesTarget,
  env: NodeJS.ProcessEnv = process.env,
): KubernetesConnection {
  const kubeConfig = new KubeConfig();
  const source = loadInto(kubeConfig, target.kubeconfigPath, env);
  const contexts = kubeConfig.getContexts().map((context) => context.name);
  const contextName = target.context ?? kubeConfig.getCurrentContext();
  if (source !== 'in-cluster') {
    if (!contextName) {
      throw new UserError(`${source} has no current-context`, {
        hint:
          contexts.length > 0 ? `choose one with --context: ${contexts.join(', ')}` : 'add a context to the kubeconfig',
      });
    }
    if (!contexts.includes(contextName)) {
      throw new UserError(
        `context "${contextName}" is not in ${source}; it has ${contexts.length > 0 ? contexts.map((name) => `"${name}"`).join(', ') : 'no contexts'}`,
        { hint: 'pass --context with one of those, or set targets.kubernetes.context in the environment file' },
      );
    }
    kubeConfig.setCurrentContext(contextName);
  }
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new UserError(`context "${contextName}" in ${source} names no cluster with a server URL`);
  return { kubeConfig, contextName, server };
}

function loadInto(kubeConfig: KubeConfig, explicitPath: string | undefined, env: NodeJS.ProcessEnv): string {
  const candidates = explicitPath
    ? [explicitPath]
    : env.KUBECONFIG
      ? env.KUBECONFIG.split(':').filter((path) => path !== '')
      : [join(env.HOME ?? homedir(), '.kube', 'config')];
  const readable = candidates.filter((path) => existsSync(path) && statSync(path).isFile());
  if (readable.length === 0) {
    if (!explicitPath && env.KUBERNETES_SERVICE_HOST) {
      kubeConfig.loadFromCluster();
      return 'in-cluster';
    }
    const origin = explicitPath ? '--kubeconfig' : env.KUBECONFIG ? 'KUBECONFIG' : 'the default location';
    throw new UserError(`no kubeconfig found at ${candidates.join(', ')} (from ${origin})`, {
      hint: 'pass --kubeconfig <file>, set KUBECONFIG, or plan offline with --observed <snapshot.json>',
    });
  }
  try {
    // One file is loaded as given; several are merged the way kubectl merges KUBECONFIG.
    if (readable.length === 1) kubeConfig.loadFromFile(readable[0]!);
    else kubeConfig.loadFromDefault({}, false);
  } catch (error) {
    throw new UserError(`cannot read kubeconfig ${readable.join(', ')}: ${(error as Error).message}`, {
      hint: 'check that the file is a valid kubeconfig (kubectl config view)',
    });
  }
  return readable.join(', ');
}
