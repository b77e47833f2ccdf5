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
  const text = (lineBreak === -1 ? input : input.slice(0, lineBreak)).replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return { text, submit: key.return || lineBreak !== -1 };
}
