/**
 * An S3 endpoint that is some other server: a port where a web server or another service answers. A tiny HTTP server
 * on 127.0.0.1 plays it, and strata talks to it through the real S3 client.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

let project: string;
let server: Server;
let endpoint: string;
/** How the server answers every request; each test sets it. */
let answer: (response: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((_request, response) => answer(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  project = await mkdtemp(join(tmpdir(), 'strata-not-s3-'));
  await mkdir(join(project, 'environments'));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(project, { recursive: true, force: true });
});

/** An S3-only environment, with `targets.s3.endpoint` when given. */
async function environment(fileEndpoint?: string): Promise<void> {
  const s3 = fileEndpoint ? `{ region: us-east-1, endpoint: "${fileEndpoint}" }` : '{ region: us-east-1 }';
  await writeFile(
    join(project, 'environments/archive.yaml'),
    `apiVersion: strata.dev/v1alpha1
kind: Environment
metadata: { name: archive }
targets:
  s3: ${s3}
buckets:
  chat-archives: { name: akosha-chat-archives-test, versioning: true }
`,
  );
}

const strata = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(argv, { cwd: project, env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', ...env } });

const notFoundText = (response: ServerResponse) => {
  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end('404 page not found\n');
};

describe('an S3 endpoint where another kind of server answers', () => {
  it('names the endpoint, says it did not answer like S3, quotes the answer and points at --s3-endpoint', async () => {
    answer = notFoundText;
    await environment();

    const { exitCode, stderr } = await strata(['plan', 'archive', '--no-out', '--s3-endpoint', endpoint]);

    expect(exitCode).toBe(1);
    expect(stderr).toBe(
      `error: the S3 endpoint ${endpoint} did not answer like S3 (HTTP 404, text/plain: "404 page not found")\n` +
        "hint: check the endpoint, set by --s3-endpoint: it should be the address of an S3 server (for Ceph RGW, radosgw's port)\n",
    );
  });

  it('points at targets.s3.endpoint when the environment file set the endpoint', async () => {
    answer = notFoundText;
    await environment(endpoint);

    const { stderr } = await strata(['plan', 'archive', '--no-out']);

    expect(stderr).toContain('hint: check the endpoint, set by targets.s3.endpoint in the environment file:');
  });

  it('points at the variable when AWS_ENDPOINT_URL_S3 set the endpoint', async () => {
    answer = notFoundText;
    await environment();

    const { stderr } = await strata(['plan', 'archive', '--no-out'], { AWS_ENDPOINT_URL_S3: endpoint });

    expect(stderr).toContain('hint: check the endpoint, set by AWS_ENDPOINT_URL_S3:');
  });

  it('recognises a web page that is not found, whose HTML the S3 client reads without complaint', async () => {
    answer = (response) => {
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<html><body><h1>Not Found</h1></body></html>');
    };
    await environment();

    const { stderr } = await strata(['plan', 'archive', '--no-out', '--s3-endpoint', endpoint]);

    expect(stderr).toMatch(/^error: the S3 endpoint \S+ did not answer like S3 \(HTTP 404, text\/html\)\n/);
  });

  it('recognises a service that answers 200 with something other than S3 XML', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"ok"}');
    };
    await environment();

    const { stderr } = await strata(['plan', 'archive', '--no-out', '--s3-endpoint', endpoint]);

    expect(stderr).toContain(
      `error: the S3 endpoint ${endpoint} did not answer like S3 (HTTP 200, application/json: "{\\"status\\":\\"ok\\"}")`,
    );
    expect(stderr).not.toContain('$response');
  });
});
