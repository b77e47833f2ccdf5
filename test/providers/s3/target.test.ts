import { describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/errors/user-error.js';
import { resolveS3Target } from '../../../src/providers/s3/target.js';

const declared = { region: 'eu-west-1', endpoint: 'https://s3.eu-west-1.amazonaws.com' };

describe('choosing the S3 target', () => {
  it('prefers --s3-endpoint over AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL and the environment file', () => {
    const env = { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:7481', AWS_ENDPOINT_URL: 'http://127.0.0.1:7482' };
    expect(resolveS3Target({ endpointFlag: 'http://127.0.0.1:7480', declared }, env).endpoint).toBe(
      'http://127.0.0.1:7480',
    );
    expect(resolveS3Target({ declared }, env).endpoint).toBe('http://127.0.0.1:7481');
    expect(resolveS3Target({ declared }, { AWS_ENDPOINT_URL: 'http://127.0.0.1:7482' }).endpoint).toBe(
      'http://127.0.0.1:7482',
    );
    expect(resolveS3Target({ declared }, {}).endpoint).toBe(declared.endpoint);
  });

  it('talks to AWS itself, in us-east-1, when nothing names an endpoint or a region', () => {
    expect(resolveS3Target({}, {})).toEqual({ region: 'us-east-1' });
  });

  it('takes the region from AWS_REGION before the environment file', () => {
    expect(resolveS3Target({ declared }, { AWS_REGION: 'us-east-1' }).region).toBe('us-east-1');
    expect(resolveS3Target({ declared }, {}).region).toBe('eu-west-1');
  });

  it('takes the requests in flight from the environment file, and leaves them to the default when it is silent', () => {
    expect(resolveS3Target({ declared: { ...declared, concurrency: 16 } }, {}).concurrency).toBe(16);
    expect(resolveS3Target({ declared }, {})).not.toHaveProperty('concurrency');
  });

  it('refuses an endpoint that is not an http(s) URL and says where it came from', () => {
    const error = (() => {
      try {
        resolveS3Target({}, { AWS_ENDPOINT_URL_S3: '127.0.0.1:7480' });
      } catch (e) {
        return e;
      }
    })();
    expect(isUserError(error) && error.message).toBe('AWS_ENDPOINT_URL_S3 is not an http(s) URL: 127.0.0.1:7480');
  });
});
