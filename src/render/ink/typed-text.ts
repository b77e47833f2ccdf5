import { CONTROL_CHARACTERS } from '../escape/terminal.js';

/**
 * Text typed into a prompt. A terminal (or tmux, or a paste) may deliver several keys in one chunk, so "dev\r" arrives
 * as one input rather than three letters and an Enter: the text before a line break is typed, the break submits.
 */
export interface TypedText {
  text: string;
  submit: boolean;
}

export function typedText(input: string, key: { return: boolean }): TypedText {
  const lineBreak = input.search(/[\r\n]/);
  const text = (lineBreak === -1 ? input : input.slice(0, lineBreak)).replace(CONTROL_CHARACTERS, '');
  return { text, submit: key.return || lineBreak !== -1 };
}
