import { describe, expect, it } from 'vitest';
import type { Change, Risk, Step } from '../../src/model/plan.js';
import { confirmationsNeeded, confirmedBy, unconfirmed, withAnswers, type PlannedStep } from '../../src/plan/index.js';
import { address } from '../fixtures/plan/builders.js';

const dataLoss: Risk = { kind: 'data-loss', severity: 'high', message: 'deletes the claim and its 20Gi volume' };
const shorterRetention: Risk = { kind: 'data-loss', severity: 'medium', message: 'default retention 7y → 1y' };
const compliance: Risk = { kind: 'irreversible', severity: 'high', message: 'COMPLIANCE retention of 7y' };
const cost: Risk = { kind: 'cost', severity: 'low', message: '+20Gi requested storage' };

function planned(index: number, name: string, action: Step['action'], risks: Risk[]): PlannedStep {
  const at = address('PersistentVolumeClaim', name, 'codequal-prod');
  const change: Change = { address: at, action, attributes: [], risks };
  return { step: { index, address: at, action, dependsOn: [] }, change };
}

const grow = planned(1, 'deepwiki-data', 'update', [cost]);
const lock = planned(2, 'locked', 'update', [compliance, shorterRetention]);
const remove = planned(3, 'old-cache', 'delete', [dataLoss]);
const steps = [grow, lock, remove];

describe('confirmationsNeeded', () => {
  it('asks --allow-destroy for every step that can lose data, with the risks that ask, in step order', () => {
    const needed = confirmationsNeeded('prod', steps);

    expect(needed.destroy).toEqual([
      { ...lock, risks: [shorterRetention] },
      { ...remove, risks: [dataLoss] },
    ]);
  });

  it('asks --confirm-irreversible naming the environment for every step that cannot be undone', () => {
    const needed = confirmationsNeeded('prod', steps);

    expect(needed.irreversible).toEqual([{ ...lock, risks: [compliance] }]);
    expect(needed.environment).toBe('prod');
  });

  it('asks nothing of steps whose risks are only cost, replacement or weaker security', () => {
    const other: Risk[] = [
      cost,
      { kind: 'replace', severity: 'medium', message: 'forces delete + create' },
      { kind: 'security-weakened', severity: 'high', message: 'public access block turned off' },
    ];
    const needed = confirmationsNeeded('prod', [planned(1, 'x', 'replace', other)]);

    expect(needed.destroy).toEqual([]);
    expect(needed.irreversible).toEqual([]);
  });
});

describe('confirmedBy', () => {
  it('confirms data loss with --allow-destroy', () => {
    expect(confirmedBy({ allowDestroy: true }, 'prod')).toEqual({ destroy: true, irreversible: false });
    expect(confirmedBy({}, 'prod')).toEqual({ destroy: false, irreversible: false });
  });

  it('confirms irreversible steps only when --confirm-irreversible names the environment', () => {
    expect(confirmedBy({ confirmIrreversible: 'prod' }, 'prod').irreversible).toBe(true);
    expect(confirmedBy({ confirmIrreversible: 'staging' }, 'prod').irreversible).toBe(false);
    expect(confirmedBy({ confirmIrreversible: 'PROD' }, 'prod').irreversible).toBe(false);
  });
});

describe('unconfirmed', () => {
  const needed = confirmationsNeeded('prod', steps);

  it('leaves every needed confirmation when none is given', () => {
    expect(unconfirmed(needed, confirmedBy({}, 'prod'))).toEqual({
      destroy: needed.destroy,
      irreversible: needed.irreversible,
    });
  });

  it('drops what the flags confirm', () => {
    expect(unconfirmed(needed, confirmedBy({ allowDestroy: true }, 'prod'))).toEqual({
      destroy: [],
      irreversible: needed.irreversible,
    });
    expect(unconfirmed(needed, confirmedBy({ allowDestroy: true, confirmIrreversible: 'prod' }, 'prod'))).toEqual({
      destroy: [],
      irreversible: [],
    });
  });

  it('has nothing to ask of steps without such risks, whatever was given', () => {
    expect(unconfirmed(confirmationsNeeded('prod', [grow]), confirmedBy({}, 'prod'))).toEqual({
      destroy: [],
      irreversible: [],
    });
  });
});

describe('withAnswers', () => {
  it('keeps the flags that confirmed', () => {
    expect(withAnswers({ allowDestroy: true, confirmIrreversible: 'prod' }, { allowDestroy: false }, 'prod')).toEqual({
      allowDestroy: true,
      confirmIrreversible: 'prod',
    });
  });

  it('takes the name typed in the terminal over a flag that named another environment', () => {
    expect(withAnswers({ confirmIrreversible: 'staging' }, { confirmIrreversible: 'prod' }, 'prod')).toEqual({
      allowDestroy: undefined,
      confirmIrreversible: 'prod',
    });
  });

  it('takes the terminal’s yes to losing data when the flag was not given', () => {
    expect(withAnswers({}, { allowDestroy: true }, 'prod').allowDestroy).toBe(true);
  });
});
