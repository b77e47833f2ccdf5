/** The CLI's only doors to the terminal, so tests can capture them and NO_COLOR is honoured in one place. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Colour is allowed: a TTY and no NO_COLOR (https://no-color.org) or `--no-color`. */
  color: boolean;
  isTTY: boolean;
}

export function processOutput(): Output {
  const isTTY = Boolean(process.stdout.isTTY);
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    color: isTTY && !noColor && !process.argv.includes('--no-color'),
    isTTY,
  };
}
