import { describe, expect, it } from 'vitest';
import { treeRows, viewAttribute } from '../../src/render/attribute-view.js';

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

  it("reads a claim's growth, compared whole, as one sentence on each side rather than a tree", () => {
    const growth = { threshold: '20%', increase: '20Gi', storageLimit: '500Gi' };
    expect(
      viewAttribute({ path: 'growth', before: { ...growth, threshold: '5%' }, after: growth }, 'update', true).values,
    ).toMatchObject({ form: 'inline', text: 'at 95% full, +20Gi, up to 500Gi → at 80% full, +20Gi, up to 500Gi' });
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

describe('viewAttribute: nested values as a tree', () => {
  const RULE = { id: 'keep', enabled: true, expirationDays: 30, prefix: 'warm/' };

  it('shows a new nested value one member a line, keys sorted, the marker on the head alone', () => {
    const view = viewAttribute({ path: 'rules[keep]', after: { id: 'keep', enabled: true } }, 'update');
    expect(view.marker).toBe('new');
    expect(view.values).toEqual({
      form: 'tree',
      children: [
        { key: 'enabled', sides: 'after', after: 'true', text: 'true' },
        { key: 'id', sides: 'after', after: '"keep"', text: '"keep"' },
      ],
    });
  });

  it('keeps units inside the tree, from each leaf’s own key', () => {
    const view = viewAttribute({ path: 'rules[keep]', after: RULE }, 'update');
    const days =
      view.values.form === 'tree' ? view.values.children.find((node) => node.key === 'expirationDays') : undefined;
    expect(days?.text).toBe('30d');
  });

  it('shows only the changed leaves of an update and counts the unchanged siblings', () => {
    const view = viewAttribute({ path: 'spec', before: RULE, after: { ...RULE, expirationDays: 60 } }, 'update');
    expect(view.values).toEqual({
      form: 'tree',
      children: [{ key: 'expirationDays', sides: 'both', before: '30d', after: '60d', text: '30d → 60d' }],
      hidden: { count: 3, noun: 'attribute' },
    });
  });

  it('marks a member added inside an update as new', () => {
    const view = viewAttribute({ path: 'spec', before: RULE, after: { ...RULE, tag: 'x' } }, 'update');
    expect(view.values.form === 'tree' && view.values.children).toEqual([
      { key: 'tag', sides: 'after', after: '"x"', text: '"x"', marker: 'new' },
    ]);
  });

  it('shows a removed subtree on the live side, marked removed on its head', () => {
    const view = viewAttribute({ path: 'destination', before: { bucket: 'b', prefix: 'p/' } }, 'update');
    expect(view.marker).toBe('removed');
    expect(view.values).toEqual({
      form: 'tree',
      children: [
        { key: 'bucket', sides: 'before', before: '"b"', text: '"b"' },
        { key: 'prefix', sides: 'before', before: '"p/"', text: '"p/"' },
      ],
    });
  });

  it('lists items by position under their list, with the list’s unit, and counts unchanged elements', () => {
    const before = [{ days: 30 }, { days: 90 }];
    const after = [{ days: 30 }, { days: 120 }, { days: 365 }];
    const view = viewAttribute({ path: 'transitions', before, after }, 'update');
    expect(view.values).toEqual({
      form: 'tree',
      children: [
        {
          key: '[1]',
          sides: 'both',
          children: [{ key: 'days', sides: 'both', before: '90d', after: '120d', text: '90d → 120d' }],
        },
        {
          key: '[2]',
          sides: 'after',
          marker: 'new',
          children: [{ key: 'days', sides: 'after', after: '365d', text: '365d' }],
        },
      ],
      hidden: { count: 1, noun: 'element' },
    });
  });

  it('lays rows out with sibling values aligned and the hidden count last', () => {
    const view = viewAttribute(
      { path: 'spec', before: RULE, after: { ...RULE, expirationDays: 60, prefix: 'cold/' } },
      'update',
    );
    const rows = view.values.form === 'tree' ? treeRows(view.values, (text) => text) : [];
    expect(rows.map((row) => `${row.label}${row.text === undefined ? '' : `  ${row.text}`}`)).toEqual([
      'expirationDays:  30d → 60d',
      'prefix:          "warm/" → "cold/"',
      '# (2 unchanged attributes hidden)',
    ]);
  });

  it('keeps a short flat list on one line', () => {
    expect(viewAttribute({ path: 'accessModes', before: ['ReadWriteOnce'] }, 'delete').values.form).toBe('inline');
  });

  it('diffs a value compared whole (a policy document) as text, not as a tree', () => {
    expect(viewAttribute({ path: 'document', after: { Version: '2012-10-17' } }, 'update', true).values.form).not.toBe(
      'tree',
    );
  });
});
