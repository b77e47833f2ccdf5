import type { CommandContext } from './context.js';

/** The ink UI is for a person at a terminal; CI, pipes and `--no-tty` get plain text. */
export function isInteractive(context: CommandContext, tty: boolean): boolean {
  return context.output.isTTY && tty && !runsInCi(context.env);
}

/** `CI` set to anything but `false` or `0` means CI, the convention CI services and ci-info follow. */
function runsInCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}
