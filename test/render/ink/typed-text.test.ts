import { describe, expect, it } from 'vitest';
import { typedText } from '../../../src/render/ink/typed-text.js';

describe('text typed into a prompt', () => {
  it('types the letters of a chunk that ends in Enter, and submits', () => {
    expect(typedText('prod\r', { return: false })).toEqual({ text: 'prod', submit: true });
  });

  it('types a plain chunk without submitting', () => {
    expect(typedText('pr', { return: false })).toEqual({ text: 'pr', submit: false });
  });

  it('submits on an Enter key of its own', () => {
    expect(typedText('', { return: true })).toEqual({ text: '', submit: true });
  });

  it('never types control characters', () => {
    expect(typedText('p\u0007rod', { return: false }).text).toBe('prod');
  });

  it('never types C1 controls or DEL, which a paste can carry', () => {
    expect(typedText('p\u009brod\u007f', { return: false }).text).toBe('prod');
  });
});
