/**
 * Every request to the Kubernetes API is bounded: against the run's real control plane behind the fault proxy (which
 * can hold a request open and never answer it), and against a listener that accepts no connection at all. The HTTP
 * library they go through takes the API server's compressed answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { ApiException, CoordinationV1Api, HttpMethod, KubeConfig, ServerConfiguration } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProviderError } from '../../../src/errors/provider-error.js';
import { boundedRequests } from '../../../src/providers/kubernetes/bounded-requests.js';
import { WholeBodyHttpLibrary } from '../../../src/providers/kubernetes/whole-body-http.js';
import { openTestCluster, waitFor, type TestCluster } from '../../support/kube/index.js';

let cluster: TestCluster;
let kubeConfig: KubeConfig;

beforeEach(async () => {
  cluster = await openTestCluster();
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
});
afterEach(async () => {
  await cluster.stop();
  stopUnaccepting();
});

const readLease = (requests: ReturnType<typeof boundedRequests>, signal?: AbortSignal) => {
  const leases = requests.client(CoordinationV1Api);
  return requests.send('get Lease default/strata-lock-bounded', signal, (signalled) =>
    leases.readNamespacedLease({ namespace: 'default', name: 'strata-lock-bounded' }, signalled),
  );
};

async function failure(request: Promise<unknown>): Promise<{ message: string; retryable: boolean; ms: number }> {
  const started = Date.now();
  const error = await request.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return { message: error.message, retryable: error.retryable, ms: Date.now() - started };
}

describe('requests to the Kubernetes API', () => {
  it('fails a request the server holds open at the request timeout, naming the operation and the server', async () => {
    cluster.faults.add({ verb: 'get', resource: 'leases', hang: true });
    const requests = boundedRequests(kubeConfig, { connectMs: 5_000, requestMs: 500 });

    const failed = await failure(readLease(requests));

    expect(failed).toMatchObject({
      message: `kubernetes get Lease default/strata-lock-bounded: no answer from ${cluster.url} within 0.5 s`,
      retryable: true,
    });
    expect(failed.ms).toBeLessThan(3_000);
  });

  it("aborts a request in flight when the caller's signal aborts, saying how long it waited", async () => {
    cluster.faults.add({ verb: 'get', resource: 'leases', hang: true });
    const requests = boundedRequests(kubeConfig, { connectMs: 5_000, requestMs: 30_000 });

    const failed = await failure(readLease(requests, AbortSignal.timeout(300)));

    expect(failed.message).toMatch(
      new RegExp(`^kubernetes get Lease default/strata-lock-bounded: no answer from ${cluster.url} within 0\\.[34] s$`),
    );
    expect(failed.ms).toBeLessThan(3_000);
  });

  it('fails a JSON read the server holds open at the request timeout, as it fails a client call', async () => {
    cluster.faults.add({ verb: 'list', resource: 'storageclasses', hang: true });
    const requests = boundedRequests(kubeConfig, { connectMs: 5_000, requestMs: 500 });

    const failed = await failure(
      requests.getJson('list StorageClass', '/apis/storage.k8s.io/v1/storageclasses', {}, undefined),
    );

    expect(failed.message).toBe(`kubernetes list StorageClass: no answer from ${cluster.url} within 0.5 s`);
    expect(failed.ms).toBeLessThan(3_000);
  });

  it('fails a write the server holds open at the request timeout, as it fails a read', async () => {
    cluster.faults.add({ verb: 'patch', resource: 'storageclasses', hang: true });
    const requests = boundedRequests(kubeConfig, { connectMs: 5_000, requestMs: 500 });
    const write = {
      method: 'PATCH',
      path: '/apis/storage.k8s.io/v1/storageclasses/bounded',
      query: { fieldManager: 'strata' },
      body: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'bounded' }, provisioner: 'x' },
      contentType: 'application/apply-patch+yaml',
    } as const;

    const failed = await failure(requests.writeJson('apply StorageClass bounded', write, undefined));

    expect(failed.message).toBe(`kubernetes apply StorageClass bounded: no answer from ${cluster.url} within 0.5 s`);
    expect(failed.ms).toBeLessThan(3_000);
  });

  it('does not count the wait for an answer against the connect timeout', async () => {
    cluster.faults.add({ verb: 'get', resource: 'leases', latencyMs: 400 });
    const requests = boundedRequests(kubeConfig, { connectMs: 100, requestMs: 5_000 });

    const answer = await readLease(requests).catch((error: unknown) => error);

    // The server's own answer: there is no such lease.
    expect(answer).toBeInstanceOf(ApiException);
    expect((answer as ApiException<unknown>).code).toBe(404);
  });

  it('fails at the connect timeout when the server accepts no connection', async () => {
    const { url, requests } = await unreachable({ connectMs: 300, requestMs: 5_000 });

    const failed = await failure(readLease(requests));

    expect(failed).toMatchObject({
      message: `kubernetes get Lease default/strata-lock-bounded: could not connect to ${url} within 0.3 s`,
      retryable: true,
    });
    expect(failed.ms).toBeLessThan(3_000);
  });

  it('fails a JSON read at the connect timeout when the server accepts no connection', async () => {
    const { url, requests } = await unreachable({ connectMs: 300, requestMs: 5_000 });

    const failed = await failure(requests.getJson('list Namespace', '/api/v1/namespaces', {}, undefined));

    expect(failed).toMatchObject({
      message: `kubernetes list Namespace: could not connect to ${url} within 0.3 s`,
      retryable: true,
    });
  });
});

async function getWithLibrary(path: string) {
  const request = new ServerConfiguration(cluster.url, {}).makeRequestContext(path, HttpMethod.GET);
  request.setHeaderParam('Accept', 'application/json');
  await kubeConfig.applySecurityAuthentication(request);
  const response = await new WholeBodyHttpLibrary().send(request).toPromise();
  return { encoding: response.headers['content-encoding'], body: JSON.parse(await response.body.text()) as unknown };
}

describe('the HTTP library of Kubernetes requests', () => {
  it('asks for gzip and decodes the compressed answer the API server sends', async () => {
    // The OpenAPI document is several MB, well over the 128 KB from which the API server compresses.
    const { encoding, body } = await getWithLibrary('/openapi/v2');

    expect(encoding).toBe('gzip');
    expect(body).toMatchObject({ swagger: '2.0' });
  });

  it('reads an answer too small to be compressed as it came', async () => {
    const { encoding, body } = await getWithLibrary('/version');

    expect(encoding).toBeUndefined();
    expect((body as { gitVersion: string }).gitVersion).toMatch(/^v1\./);
  });
});

/** Bounded requests to a server that accepts no connection, and its URL. */
async function unreachable(timeouts: { connectMs: number; requestMs: number }) {
  const url = await unacceptingServer();
  const config = new KubeConfig();
  config.loadFromClusterAndUser(
    { name: 'unreachable', server: url, skipTLSVerify: true },
    { name: 'someone', token: 'not-sent' },
  );
  return { url, requests: boundedRequests(config, timeouts) };
}

let listener: ChildProcess | undefined;
const fillers: Socket[] = [];

/**
 * A loopback listener that accepts no connection, as an endpoint behind a firewall that drops packets looks to a
 * client: a stopped process whose accept queue is full, so the kernel ignores every further SYN.
 */
async function unacceptingServer(): Promise<string> {
  const script =
    "require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () { console.log(this.address().port) })";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  listener = child;
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (data) => resolve(Number(String(data).trim()))),
  );
  process.kill(child.pid!, 'SIGSTOP');
  for (let i = 0; i < 8; i += 1) fillers.push(connect(port, '127.0.0.1').on('error', () => undefined));
  // The queue holds backlog + 1 connections; once those are in, the others wait for ever.
  await waitFor('the accept queue to fill', () => fillers.filter((socket) => !socket.connecting).length >= 2, {
    timeoutMs: 5_000,
  });
  return `http://127.0.0.1:${port}`;
}

function stopUnaccepting(): void {
  for (const socket of fillers.splice(0)) socket.destroy();
  listener?.kill('SIGKILL');
  listener = undefined;
}
