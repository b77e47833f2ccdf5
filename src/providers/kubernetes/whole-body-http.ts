/**
 * client-node's HTTP library (node-fetch), with a compressed answer decoded in one piece once it has arrived.
 *
 * The API server gzips answers over 128 KB for a client that accepts gzip, as node-fetch and kubectl do, and a LIST
 * page of thousands of objects is several MB. node-fetch inflates it as a stream, 16 KB at a time, each a round trip
 * through libuv's thread pool that waits for the next turn of the event loop. With S3 reads keeping the loop busy,
 * a 5,000-claim page (4.4 MB) took 5 to 7 s to arrive instead of 0.15 s. Here the compressed bytes (167 KB of that
 * page) are collected and inflated at once, on the main thread: 9 ms, a third of what JSON.parse then takes.
 */
import { gunzipSync } from 'node:zlib';
import { Observable, ResponseContext, type HttpLibrary, type RequestContext } from '@kubernetes/client-node';
import fetch from 'node-fetch';

export class WholeBodyHttpLibrary implements HttpLibrary {
  send(request: RequestContext) {
    // gzip alone, as kubectl asks: the API server compresses with nothing else.
    const headers = { 'accept-encoding': 'gzip', ...request.getHeaders() };
    const answered = fetch(request.getUrl(), {
      method: request.getHttpMethod().toString(),
      // strata and the generated clients send JSON text, never forms.
      body: request.getBody() as string | undefined,
      headers,
      signal: request.getSignal(),
      agent: request.getAgent(),
      compress: false,
    }).then((response) => {
      const answerHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => (answerHeaders[name] = value));
      const gzipped = response.headers.get('content-encoding') === 'gzip';
      const binary = async () => (gzipped ? gunzipSync(await response.buffer()) : response.buffer());
      return new ResponseContext(response.status, answerHeaders, {
        binary,
        text: async () => (await binary()).toString('utf8'),
      });
    });
    return new Observable(answered);
  }
}
