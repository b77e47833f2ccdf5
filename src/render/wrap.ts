/** Word wrapping for plain text (style after wrapping: escape codes have no width). */

/**
 * Splits `text` into lines of at most `firstWidth` characters for the first line and `restWidth` after it, breaking
 * at spaces. A single word longer than the width gets a line of its own rather than being cut.
 */
export function wrapWords(text: string, firstWidth: number, restWidth = firstWidth): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/).reduce(keepArrowWithNext, [])) {
    const limit = lines.length === 0 ? firstWidth : restWidth;
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= limit) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

/** `2555d → 365d` may break before the arrow, never after it: a line never ends in a dangling `→`. */
function keepArrowWithNext(words: string[], word: string): string[] {
  const previous = words.at(-1);
  if (previous === '→') words[words.length - 1] = `→ ${word}`;
  else words.push(word);
  return words;
}
