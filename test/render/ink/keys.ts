/** Key sequences a terminal sends, and a pause that lets ink re-render between keystrokes. */
export const KEYS = {
  down: '\u001B[B',
  up: '\u001B[A',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

export const settle = (ms = 30): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    stdin.write(key);
    await settle();
  }
}

/** Waits until the screen shows `text`: the next key then reaches the view that asks for it. */
export async function until(lastFrame: () => string | undefined, text: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!(lastFrame() ?? '').includes(text)) {
    if (Date.now() > deadline) throw new Error(`the screen never showed "${text}"; it shows:\n${lastFrame()}`);
    await settle(10);
  }
  await settle(10);
}
