/**
 * The HTTP library strata's Kubernetes requests go through, against the run's real control plane: the API server
 * compresses a large answer for a client that accepts gzip, and the library hands back the answer decoded.
 */
import { HttpMethod, KubeConfig, ServerConfiguration } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WholeBodyHttpLibrary } from '../../../src/providers/kubernetes/whole-body-http.js';
import { openTestCluster, type TestCluster } from '../../support/kube/index.js';

let cluster: TestCluster;
let kubeConfig: KubeConfig;

beforeEach(async () => {
  cluster = await openTestCluster();
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
});
afterEach(async () => {
  await cluster.stop();
});

async function get(path: string) {
  const request = new ServerConfiguration(cluster.url, {}).makeRequestContext(path, HttpMethod.GET);
  request.setHeaderParam('Accept', 'application/json');
  await kubeConfig.applySecurityAuthentication(request);
  const response = await new WholeBodyHttpLibrary().send(request).toPromise();
  return { encoding: response.headers['content-encoding'], body: JSON.parse(await response.body.text()) as unknown };
}

describe('the HTTP library of Kubernetes requests', () => {
  it('asks for gzip and decodes the compressed answer the API server sends', async () => {
    // The OpenAPI document is several MB, well over the 128 KB from which the API server compresses.
    const { encoding, body } = await get('/openapi/v2');

    expect(encoding).toBe('gzip');
    expect(body).toMatchObject({ swagger: '2.0' });
  });

  it('reads an answer too small to be compressed as it came', async () => {
    const { encoding, body } = await get('/version');

    expect(encoding).toBeUndefined();
    expect((body as { gitVersion: string }).gitVersion).toMatch(/^v1\./);
  });
});
