/**
 * strata's benchmarks: `npm run bench` runs them all; `npm run bench -- observe --namespaces 50 --pvcs 1000`,
 * `npm run bench -- render --changes 2000` or `npm run bench -- validate --namespaces 50 --pvcs 10000 --buckets 1000`
 * runs one. strata runs in-process; `observe` starts its own Kubernetes
 * control plane on loopback (as the tests' global setup does) and always stops it. The figures are printed, never
 * asserted on.
 */
import { arch, platform } from 'node:os';
import { parseArgs } from 'node:util';
import { benchObserve } from './observe.js';
import { benchRender } from './render.js';
import { benchValidate } from './validate.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    namespaces: { type: 'string', default: '50' },
    pvcs: { type: 'string', default: '1000' },
    buckets: { type: 'string', default: '1000' },
    changes: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '7' },
  },
});

const BENCHES = ['observe', 'render', 'validate'] as const;
type Bench = (typeof BENCHES)[number];

function positive(name: string, value: string | undefined, least = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < least) {
    process.stderr.write(`bench: --${name} must be a whole number of at least ${least}, not ${value}\n`);
    process.exit(1);
  }
  return n;
}

const chosen = positionals.length === 0 ? [...BENCHES] : positionals;
const unknown = chosen.filter((name) => !(BENCHES as readonly string[]).includes(name));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}\n`);
  process.exit(1);
}
const runs = positive('runs', values.runs);

process.stdout.write(`strata benchmarks · node ${process.version} · ${platform()} ${arch()}\n\n`);
for (const bench of chosen as Bench[]) {
  const lines = await runBench(bench);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function runBench(bench: Bench): Promise<string[]> {
  switch (bench) {
    case 'observe':
      return benchObserve({
        namespaces: positive('namespaces', values.namespaces),
        pvcs: positive('pvcs', values.pvcs),
        runs,
      });
    case 'render':
      return benchRender({ changes: positive('changes', values.changes), runs });
    case 'validate':
      return benchValidate({
        namespaces: positive('namespaces', values.namespaces),
        pvcs: positive('pvcs', values.pvcs),
        buckets: positive('buckets', values.buckets, 0),
        runs,
      });
  }
}
