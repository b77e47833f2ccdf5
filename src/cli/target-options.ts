/** The flags every command that talks to live systems accepts, so CI and tests can point strata elsewhere. */
import type { Command } from 'commander';
import { DEFAULT_REQUEST_TIMEOUTS } from '../providers/request-timeouts.js';
import type { TargetFlags } from './targets.js';

/** Where the cluster is found without the flags, as targets.ts and connect.ts find it; `strata unlock` says it too. */
export const KUBECONFIG_DEFAULT = 'KUBECONFIG, then ~/.kube/config';
export const CONTEXT_DEFAULT =
  "targets.kubernetes.context in the environment file, then the kubeconfig's current context";

export function addTargetOptions(command: Command): Command {
  return command
    .option('--kubeconfig <file>', `kubeconfig to use (default: ${KUBECONFIG_DEFAULT})`)
    .option('--context <name>', `kubeconfig context (default: ${CONTEXT_DEFAULT})`)
    .option(
      '--s3-endpoint <url>',
      'S3-compatible endpoint (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, targets.s3.endpoint)',
    )
    .option(
      '--connect-timeout <duration>',
      `longest wait for a connection to a server (default: STRATA_CONNECT_TIMEOUT, then ${DEFAULT_REQUEST_TIMEOUTS.connectMs / 1000}s)`,
    )
    .option(
      '--request-timeout <duration>',
      `longest wait for the answer to one request (default: STRATA_REQUEST_TIMEOUT, then ${DEFAULT_REQUEST_TIMEOUTS.requestMs / 1000}s)`,
    );
}

export function targetFlags(options: {
  kubeconfig?: string;
  context?: string;
  s3Endpoint?: string;
  connectTimeout?: string;
  requestTimeout?: string;
}): TargetFlags {
  return {
    kubeconfig: options.kubeconfig,
    context: options.context,
    s3Endpoint: options.s3Endpoint,
    connectTimeout: options.connectTimeout,
    requestTimeout: options.requestTimeout,
  };
}
