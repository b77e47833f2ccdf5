/** A real terminal for the ink UI: tmux runs a command in a detached session; keys go in, the screen is read back. */
import { execFileSync, spawnSync } from 'node:child_process';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export interface TerminalSession {
  /** Runs `command` in a 100×40 terminal, in `cwd`. */
  start: (command: string, cwd: string) => void;
  screen: () => string;
  /** One key by its tmux name (`Enter`, `Escape`, `y`). */
  send: (key: string) => void;
  /** Text typed in one write, as keys typed faster than they are read or a paste arrive (`send-keys -l`). */
  type: (text: string) => void;
  /** Polls the screen until it shows one of `texts` (30 s at most); returns the one it shows. */
  waitFor: (...texts: string[]) => Promise<string>;
  kill: () => void;
}

export function terminalSession(name: string): TerminalSession {
  const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', name], { encoding: 'utf8' });
  return {
    start: (command, cwd) =>
      execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', '100', '-y', '40', '-c', cwd, command]),
    screen,
    send: (key) => execFileSync('tmux', ['send-keys', '-t', name, key]),
    type: (text) => execFileSync('tmux', ['send-keys', '-t', name, '-l', text]),
    async waitFor(...texts) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const shown = screen();
        const found = texts.find((text) => shown.includes(text));
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`the terminal never showed ${texts.join(' or ')}; it shows:\n${shown}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    kill: () => void spawnSync('tmux', ['kill-session', '-t', name]),
  };
}
