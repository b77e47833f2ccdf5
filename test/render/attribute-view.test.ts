import { describe, expect, it } from 'vitest';
import { viewAttribute } from '../../src/render/attribute-view.js';

const POLICY = 'line one\nline two\n';

describe('viewAttribute', () => {
  it('keeps the path as planned', () => {
    expect(viewAttribute({ path: 'rules[tiering].expirationDays', before: 2555, after: 365 }, 'update').path).toBe(
      'rules[tiering].expirationDays',
    );
  });

  it('reads a changed value as before → after on one line, with the unit its field implies', () => {
    expect(viewAttribute({ path: 'rules[tiering].expirationDays', before: 2555, after: 365 }, 'update').values).toEqual(
      { form: 'inline', before: '2555d', after: '365d', text: '2555d → 365d' },
    );
  });

  it('reads a value on one side only as that side', () => {
    expect(viewAttribute({ path: 'tags.temporary', before: 'true' }, 'update').values).toEqual({
      form: 'inline',
      before: '"true"',
      text: '"true"',
    });
  });

  it('shows a multi-line value as a block of diff lines', () => {
    expect(viewAttribute({ path: 'document', after: POLICY }, 'update').values).toEqual({
      form: 'lines',
      lines: [
        { op: 'add', text: 'line one' },
        { op: 'add', text: 'line two' },
      ],
    });
  });

  it('marks a value only in the desired state as new', () => {
    expect(viewAttribute({ path: 'tags.managed-by', after: 'strata' }, 'update').marker).toBe('new');
  });

  it('marks a value only in the live state as removed', () => {
    expect(viewAttribute({ path: 'tags.temporary', before: 'true' }, 'update').marker).toBe('removed');
  });

  it('marks a block of lines as it marks one line', () => {
    expect(viewAttribute({ path: 'document', after: POLICY }, 'adopt').marker).toBe('new');
  });

  it('marks no value that changed on both sides', () => {
    expect(viewAttribute({ path: 'size', before: '50Gi', after: '200Gi' }, 'update').marker).toBeUndefined();
  });

  it('does not mark the values of a created resource as new, since every one is', () => {
    expect(viewAttribute({ path: 'size', after: '20Gi' }, 'create').marker).toBeUndefined();
  });

  it('does not mark the values of a deleted resource as removed, since every one is', () => {
    expect(viewAttribute({ path: 'size', before: '20Gi' }, 'delete').marker).toBeUndefined();
  });

  it('notes a field that forces a replacement', () => {
    expect(
      viewAttribute({ path: 'parameters.type', before: 'gp2', after: 'gp3', forcesReplacement: true }, 'replace').notes,
    ).toEqual([{ text: 'forces replacement', kind: 'replacement' }]);
  });

  it('names the writers a field is taken from', () => {
    expect(
      viewAttribute({ path: 'labels.team', before: 'a', after: 'b', takesFrom: ['kubectl', 'helm'] }, 'update').notes,
    ).toEqual([{ text: 'takes the field from kubectl, helm', kind: 'ownership' }]);
  });

  it('notes the replacement before the ownership', () => {
    const notes = viewAttribute(
      { path: 'parameters.type', after: 'gp3', forcesReplacement: true, takesFrom: ['kubectl'] },
      'replace',
    ).notes;
    expect(notes.map((note) => note.kind)).toEqual(['replacement', 'ownership']);
  });

  it('keeps the planned attribute, raw values and all, for what the view does not word', () => {
    const attribute = { path: 'labels', before: { team: 'a' }, after: { team: 'b' } };
    expect(viewAttribute(attribute, 'update').attribute).toBe(attribute);
  });
});
