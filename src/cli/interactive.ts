import type { CommandContext } from './context.js';

/** The ink UI is for a person at a terminal; CI, pipes and `--no-tty` get plain text. */
export function isInteractive(context: CommandContext, tty: boolean): boolean {
  return context.output.isTTY && tty && !context.env.CI;
}
