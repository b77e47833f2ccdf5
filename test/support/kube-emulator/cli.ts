/**
 * `npm run kube-emulator -- --port 6443 [--persist file] [--context name]`: serves the emulator until SIGINT/SIGTERM,
 * with a kubeconfig written beside the working directory's temp files and an `export KUBECONFIG=` line to eval.
 */
import { parseArgs } from 'node:util';
import { startKubeEmulator } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '6443' },
    persist: { type: 'string' },
    context: { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port ${values.port} is not a port number; pass e.g. --port 6443 (0 picks a free port)`);
  process.exit(2);
}

const emulator = await startKubeEmulator({ port, persistPath: values.persist, contextName: values.context });
console.log(`export KUBECONFIG=${emulator.kubeconfigPath}`);
console.log(`# Kubernetes API emulator on ${emulator.url}, context ${emulator.contextName}${values.persist ? `, saved to ${values.persist}` : ''}; Ctrl-C stops it`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await emulator.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
