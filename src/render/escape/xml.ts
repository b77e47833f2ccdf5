/**
 * Text for XML 1.0 (the JUnit report): the five entities, and every control character shown as in a terminal except
 * the line breaks of multi-line text; characters XML cannot carry at all (U+FFFE, U+FFFF, unpaired surrogates) are
 * written out the same way rather than dropped, so the report says what was there.
 */
import { terminalText } from './terminal.js';

const NOT_IN_XML = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Element text and attribute values. */
export function escapeXml(text: string): string {
  return text
    .split('\n')
    .map(terminalText)
    .join('\n')
    .replace(NOT_IN_XML, (character) => `\\u${character.charCodeAt(0).toString(16)}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
