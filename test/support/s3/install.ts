/** Makes sure the Ceph daemons start-rgw.sh needs are installed, installing them once when allowed to. */
import { spawnSync } from 'node:child_process';
import { TARGET_VARIABLES } from './target.js';

const PACKAGES = ['radosgw', 'ceph-mon', 'ceph-osd', 'ceph-common'];
/** Serialises installs from parallel test runs on one machine. */
const INSTALL_LOCK = '/tmp/strata-ceph-install.lock';
const INSTALL_TIMEOUT_MS = 600_000;

export function cephInstalled(): boolean {
  return commandExists('radosgw');
}

export function ensureCephInstalled(): void {
  if (cephInstalled()) return;
  if (process.getuid?.() !== 0 || !commandExists('apt-get') || !commandExists('flock')) {
    throw new Error(
      `Ceph RGW is not installed, and this process cannot install it (needs root and apt-get). Either install it ` +
        `(Debian/Ubuntu: sudo apt-get install -y ${PACKAGES.join(' ')}) or point the tests at another S3 server ` +
        `with ${TARGET_VARIABLES.endpoint}, ${TARGET_VARIABLES.accessKeyId} and ${TARGET_VARIABLES.secretAccessKey}.`,
    );
  }
  process.stderr.write(`strata tests: installing ${PACKAGES.join(' ')} with apt-get (once, about 15 s)\n`);
  // Checked again under the lock: a parallel run may have installed it meanwhile. DPkg::Lock::Timeout waits for
  // any other apt instead of failing at once.
  const script =
    'command -v radosgw >/dev/null && exit 0; apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install ' +
    `-y -q --no-install-recommends -o DPkg::Lock::Timeout=300 ${PACKAGES.join(' ')}`;
  const result = spawnSync('flock', [INSTALL_LOCK, 'sh', '-c', script], {
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
  });
  if (result.status !== 0 || !cephInstalled()) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(
      `installing Ceph failed (${result.error?.message ?? `exit ${result.status}`}); install it by hand with ` +
        `apt-get install -y ${PACKAGES.join(' ')}, or set ${TARGET_VARIABLES.endpoint}. Last output:\n${output}`,
    );
  }
}

function commandExists(name: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$0"', name], { stdio: 'ignore' }).status === 0;
}
