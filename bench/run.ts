/**
 * strata's benchmarks: `npm run bench` runs observe, render and validate; `npm run bench -- observe --namespaces 50
 * --pvcs 1000`, `npm run bench -- render --changes 2000`, `npm run bench -- validate --pvcs 10000 --buckets 1000` or
 * `npm run bench -- scale --pvcs 10000 --buckets 1000` runs one. observe, render and validate run strata in-process;
 * `observe` starts its own Kubernetes control plane on loopback (as the tests' global setup does) and always stops it.
 * `scale` runs the built CLI beside a per-resource refresh and the floor (bench/scale.ts). The figures are printed,
 * never asserted on.
 */
import { arch, platform } from 'node:os';
import { parseArgs } from 'node:util';
import { benchObserve } from './observe.js';
import { benchRender } from './render.js';
import { benchScale } from './scale.js';
import { benchValidate } from './validate.js';

// As in the CLI: the SDK release strata pins supports Node 20, so its notice about later releases is only noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    namespaces: { type: 'string', default: '50' },
    pvcs: { type: 'string' },
    buckets: { type: 'string', default: '1000' },
    changes: { type: 'string', default: '2000' },
    runs: { type: 'string' },
  },
});

const BENCHES = ['observe', 'render', 'validate', 'scale'] as const;
type Bench = (typeof BENCHES)[number];
/** `scale` takes minutes (it seeds 10,000 claims and 1,000 buckets the first time), so it runs only when named. */
const BY_DEFAULT: Bench[] = ['observe', 'render', 'validate'];

function positive(name: string, value: string | undefined, least = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < least) {
    process.stderr.write(`bench: --${name} must be a whole number of at least ${least}, not ${value}\n`);
    process.exit(1);
  }
  return n;
}

const chosen = positionals.length === 0 ? BY_DEFAULT : positionals;
const unknown = chosen.filter((name) => !(BENCHES as readonly string[]).includes(name));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}\n`);
  process.exit(1);
}
/** scale runs each contender 3 times by default, the in-process benchmarks 7 times. */
const runsOf = (bench: Bench) => positive('runs', values.runs ?? (bench === 'scale' ? '3' : '7'));

process.stdout.write(`strata benchmarks · node ${process.version} · ${platform()} ${arch()}\n\n`);
for (const bench of chosen as Bench[]) {
  const lines = await runBench(bench);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function runBench(bench: Bench): Promise<string[]> {
  const runs = runsOf(bench);
  switch (bench) {
    case 'observe':
      return benchObserve({
        namespaces: positive('namespaces', values.namespaces),
        pvcs: positive('pvcs', values.pvcs ?? '1000'),
        runs,
      });
    case 'render':
      return benchRender({ changes: positive('changes', values.changes), runs });
    case 'validate':
      return benchValidate({
        namespaces: positive('namespaces', values.namespaces),
        pvcs: positive('pvcs', values.pvcs ?? '10000'),
        buckets: positive('buckets', values.buckets, 0),
        runs,
      });
    case 'scale':
      return benchScale({
        namespaces: positive('namespaces', values.namespaces),
        pvcs: positive('pvcs', values.pvcs ?? '10000'),
        buckets: positive('buckets', values.buckets),
        runs,
      });
  }
}
