/**
 * Waiting for an ink UI rendered by ink-testing-library, without a clock: poll the last frame it drew until it shows
 * the state a test expects, within a deadline, and fail with that frame when it never does.
 *
 * Why not a fixed pause: ink handles a key as soon as it is written, but React draws the result later, on its
 * scheduler's turn of the event loop, and only then points ink's input handler at the new state. A key written before
 * that reaches the handler of the state before (a letter typed right after `/` is not taken as filter text). On a
 * loaded machine any fixed pause can be too short; the frame showing the expected state cannot be.
 */

/** What these helpers need of `render(...)` from ink-testing-library. */
export interface InkView {
  stdin: { write: (data: string) => void };
  lastFrame: () => string | undefined;
}

export interface FrameWaitOptions {
  /** How long to wait for the frame before failing; 5 s unless given. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const POLL_MS = 5;

/**
 * Waits until the last frame satisfies `shows`, then returns it. `expected` names the state for the failure message,
 * which quotes the last frame drawn.
 */
export async function waitForFrame(
  view: Pick<InkView, 'lastFrame'>,
  shows: (frame: string) => boolean,
  expected: string,
  options: FrameWaitOptions = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = view.lastFrame() ?? '';
    if (shows(frame)) {
      await reactsTurn();
      return frame;
    }
    if (Date.now() > deadline)
      throw new Error(`the screen never showed ${expected} within ${timeoutMs} ms; it shows:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Waits until the last frame contains `text`, then returns the frame. */
export function frameShowing(
  view: Pick<InkView, 'lastFrame'>,
  text: string,
  options: FrameWaitOptions = {},
): Promise<string> {
  return waitForFrame(view, (frame) => frame.includes(text), JSON.stringify(text), options);
}

/**
 * Types `keys` one at a time, as a person does: each once the screen has answered the one before (its frame
 * changed). Every key must change what the screen shows; for a key that only ends the UI or calls back, write it
 * to `stdin` and wait for that instead.
 */
export async function press(view: InkView, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    const before = view.lastFrame();
    view.stdin.write(key);
    await waitForFrame(view, (frame) => frame !== before, `an answer to the key ${JSON.stringify(key)}`);
  }
}

/**
 * Lets React finish the render that drew the current frame. Its scheduler runs on setImmediate: the effects of that
 * render (which hand ink's input to the handler of the new state) run before a callback queued after them.
 */
function reactsTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
