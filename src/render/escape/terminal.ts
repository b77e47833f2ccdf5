/**
 * Text for a terminal (the text renderers and the ink views). Strings from outside the environment file (live values,
 * names, field managers, server messages) can carry control characters that move the cursor, clear the screen or set
 * the window title; every one of them (C0, DEL, C1) is written out in the notation JSON uses, so a value reads the
 * same here as it does quoted (`"a\u001bb"`). Renderers escape such strings before styling them: the colour codes of
 * style.ts are the only escape sequences they write.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is this module's job
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/** One line: a line break is shown too (`\n`), so a value can never start a line of its own. */
export function terminalText(text: string): string {
  return text.replace(
    CONTROL_CHARACTERS,
    (character) => NAMED[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
