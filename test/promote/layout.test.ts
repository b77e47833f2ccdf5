import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { applyEditToOriginal, SERIALISE_OPTIONS } from '../../src/promote/layout.js';

/** The original, and the same document edited through the Document API and serialised. */
function edit(original: string, change: (document: ReturnType<typeof parseDocument>) => void) {
  const document = parseDocument(original);
  const unedited = document.toString(SERIALISE_OPTIONS);
  change(document);
  return applyEditToOriginal(original, unedited, document.toString(SERIALISE_OPTIONS));
}

describe('writing an edit back onto the original text', () => {
  it('keeps the spacing of lines nobody edited, which the yaml package would collapse', () => {
    const original =
      'rules:\n  - id: monthly        # kept a year\n    expireAfter: 365d\nwarm: { prefix: warm/ }   # dated folders\n';
    const result = edit(original, (document) => document.setIn(['rules', 0, 'expireAfter'], '730d'));
    expect(result).toBe(
      'rules:\n  - id: monthly        # kept a year\n    expireAfter: 730d\nwarm: { prefix: warm/ }   # dated folders\n',
    );
  });

  it('returns the original untouched when nothing was edited', () => {
    const original = 'a:   1   # odd spacing\n';
    expect(edit(original, () => {})).toBe(original);
  });

  it('falls back to the serialised edit when the patch cannot be placed on the original', () => {
    const document = parseDocument('a: 1\nb: 2\n');
    const unedited = 'x: 9\ny: 8\n';
    document.set('b', 3);
    expect(applyEditToOriginal('a: 1\nb: 2\n', unedited, document.toString(SERIALISE_OPTIONS))).toBe('a: 1\nb: 3\n');
  });
});
