/**
 * Which S3 server, region and credentials to use, so CI and tests can point strata elsewhere without editing files.
 * Endpoint: --s3-endpoint > AWS_ENDPOINT_URL_S3 > AWS_ENDPOINT_URL > targets.s3.endpoint > AWS itself.
 * Region: AWS_REGION > AWS_DEFAULT_REGION > targets.s3.region > us-east-1.
 * Requests in flight: targets.s3.concurrency, a property of the server, so only its file sets it.
 * Credentials are left to the AWS default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, roles).
 */
import { UserError } from '../../errors/user-error.js';
import type { S3Target } from './connect.js';

export interface S3TargetInput {
  /** The --s3-endpoint flag. */
  endpointFlag?: string;
  /** `targets.s3` of the environment file. */
  declared?: { region?: string; endpoint?: string; forcePathStyle?: boolean; concurrency?: number };
}

const DEFAULT_REGION = 'us-east-1';

export function resolveS3Target(input: S3TargetInput, env: NodeJS.ProcessEnv = process.env): S3Target {
  const candidates: [string, string | undefined][] = [
    ['--s3-endpoint', input.endpointFlag],
    ['AWS_ENDPOINT_URL_S3', env.AWS_ENDPOINT_URL_S3],
    ['AWS_ENDPOINT_URL', env.AWS_ENDPOINT_URL],
    ['targets.s3.endpoint', input.declared?.endpoint],
  ];
  const chosen = candidates.find(([, value]) => value !== undefined && value !== '');
  if (chosen) checkEndpoint(chosen[0], chosen[1] as string);
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || input.declared?.region || DEFAULT_REGION;
  return {
    region,
    ...(chosen ? { endpoint: chosen[1], endpointFrom: chosen[0] } : {}),
    ...(input.declared?.forcePathStyle === undefined ? {} : { forcePathStyle: input.declared.forcePathStyle }),
    // Validated with the file (schemas/environment.schema.json); absent means connect.ts's default.
    ...(input.declared?.concurrency === undefined ? {} : { concurrency: input.declared.concurrency }),
  };
}

function checkEndpoint(origin: string, endpoint: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UserError(`${origin} is not an http(s) URL: ${endpoint}`, {
      hint: 'write it like http://127.0.0.1:7480 or https://s3.eu-west-1.amazonaws.com',
    });
  }
}
