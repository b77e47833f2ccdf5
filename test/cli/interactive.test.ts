import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/context.js';
import { isInteractive } from '../../src/cli/interactive.js';

function context(isTTY: boolean, env: NodeJS.ProcessEnv = {}): CommandContext {
  return { output: { out: () => {}, err: () => {}, color: false, isTTY }, cwd: '/', env, exitCode: 0 };
}

describe('when strata opens the terminal UI', () => {
  it('opens it for a terminal outside CI', () => {
    expect(isInteractive(context(true), true)).toBe(true);
  });

  it('prints plain text when stdout is not a terminal', () => {
    expect(isInteractive(context(false), true)).toBe(false);
  });

  it('prints plain text with --no-tty', () => {
    expect(isInteractive(context(true), false)).toBe(false);
  });

  it('prints plain text when CI is set, as CI services set it', () => {
    expect(isInteractive(context(true, { CI: 'true' }), true)).toBe(false);
    expect(isInteractive(context(true, { CI: '1' }), true)).toBe(false);
  });

  it('treats CI=false, CI=0 or an empty CI as not CI', () => {
    for (const value of ['false', 'FALSE', '0', ''])
      expect(isInteractive(context(true, { CI: value }), true)).toBe(true);
  });
});
