/** `strata unlock <env>`: break an expired or abandoned environment lock, and say so in the audit log. */
import type { Command } from 'commander';
import { auditLogPath, openAuditLog } from '../../apply/audit/index.js';
import { describeHolder } from '../../errors/lock-held-error.js';
import type { EnvironmentLock } from '../../providers/provider.js';
import { currentActor } from '../actor.js';
import { auditKeyFrom } from '../audit-key.js';
import type { CommandContext } from '../context.js';
import { shownPath } from '../files.js';
import { CONTEXT_DEFAULT, KUBECONFIG_DEFAULT } from '../target-options.js';

export interface UnlockDependencies {
  /** The lock of an environment on its target (the Kubernetes Lease), connected as the options say. */
  lockFor(environment: string, options: { kubeconfig?: string; context?: string }): Promise<EnvironmentLock>;
}

export function registerUnlock(program: Command, context: CommandContext, deps: UnlockDependencies): void {
  program
    .command('unlock')
    .description('break an expired or abandoned environment lock (recorded in the audit log)')
    .argument('<env>', 'the environment whose lock to break')
    .option('--force', 'break the lock even though it has not expired (only when its run is really gone)')
    .option('--kubeconfig <file>', `kubeconfig of the cluster that holds the lock (default: ${KUBECONFIG_DEFAULT})`)
    .option('--context <name>', `kubeconfig context (default: ${CONTEXT_DEFAULT})`)
    .option('--audit-dir <dir>', 'where the audit logs are (default: $STRATA_AUDIT_DIR or audit/)')
    .addHelpText('after', '\nExamples:\n  strata unlock prod\n  strata unlock prod --force')
    .action(
      async (
        environment: string,
        options: { force?: boolean; kubeconfig?: string; context?: string; auditDir?: string },
      ) => {
        const force = options.force === true;
        const path = auditLogPath({
          cwd: context.cwd,
          environment,
          env: context.env,
          ...(options.auditDir ? { auditDir: options.auditDir } : {}),
        });
        // Opened first: a log that cannot record the break must stop it before anything changes.
        const log = await openAuditLog(path, { key: auditKeyFrom(context.env) });
        const lock = await deps.lockFor(environment, {
          ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
          ...(options.context ? { context: options.context } : {}),
        });
        const previous = await lock.breakLock({ force }, new AbortController().signal);
        if (!previous) {
          context.output.out(`environment ${environment} is not locked; nothing to do`);
          return;
        }
        // Without --force the lock only breaks a lock that has expired, by the lock's own clock.
        const how = force ? 'broken with --force' : 'it had expired';
        await log.append({
          type: 'lock-broken',
          time: new Date().toISOString(),
          environment,
          actor: currentActor(context.env),
          ...(previous.planHash ? { planHash: previous.planHash } : {}),
          reason: `lock held by ${describeHolder(previous)}; ${how}`,
        });
        context.output.out(`broke the lock on environment ${environment} held by ${describeHolder(previous)}; ${how}`);
        context.output.out(`recorded in ${shownPath(context.cwd, path)}`);
      },
    );
}
