/**
 * strata's benchmarks: `npm run bench` runs them all; `npm run bench -- observe --namespaces 50 --pvcs 1000` or
 * `npm run bench -- render --changes 2000` runs one. strata runs in-process; `observe` starts its own Kubernetes
 * control plane on loopback (as the tests' global setup does) and always stops it. The figures are printed, never
 * asserted on.
 */
import { arch, platform } from 'node:os';
import { parseArgs } from 'node:util';
import { benchObserve } from './observe.js';
import { benchRender } from './render.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    namespaces: { type: 'string', default: '50' },
    pvcs: { type: 'string', default: '1000' },
    changes: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '7' },
  },
});

const BENCHES = ['observe', 'render'] as const;
type Bench = (typeof BENCHES)[number];

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`bench: --${name} must be a whole number of at least 1, not ${value}\n`);
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
  const lines =
    bench === 'observe'
      ? await benchObserve({
          namespaces: positive('namespaces', values.namespaces),
          pvcs: positive('pvcs', values.pvcs),
          runs,
        })
      : await benchRender({ changes: positive('changes', values.changes), runs });
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
