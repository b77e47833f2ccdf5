/** Desired resources, changes and providers for the S3 provider tests. */
import { randomBytes } from 'node:crypto';
import type { S3Kind } from '../../../src/model/address.js';
import type { Action, Change } from '../../../src/model/plan.js';
import type { DesiredResource, LifecycleRule, SpecByKind } from '../../../src/model/resources.js';
import { createS3Provider, type S3ProviderOptions } from '../../../src/providers/s3/index.js';
import { s3Target } from '../../support/s3/index.js';

/** Each test observes as its own environment, so buckets other tests own never show up in its results. */
export function uniqueEnvironment(): string {
  return `test-${randomBytes(4).toString('hex')}`;
}

export function providerFor(environment: string, options: Partial<S3ProviderOptions> = {}) {
  const target = s3Target();
  return createS3Provider({ environment, ...target, ...options });
}

export function desired<K extends S3Kind>(kind: K, bucket: string, spec: SpecByKind[K]): DesiredResource<K> {
  return { address: { system: 's3', kind, name: bucket }, spec, logicalKey: bucket, dependsOn: [] };
}

export function change<K extends S3Kind>(
  action: Action,
  kind: K,
  bucket: string,
  after?: SpecByKind[K],
  before?: SpecByKind[K],
): Change {
  return {
    address: { system: 's3', kind, name: bucket },
    action,
    ...(after === undefined ? {} : { after }),
    ...(before === undefined ? {} : { before }),
    attributes: [],
    risks: [],
  };
}

export function rule(id: string, fields: Partial<LifecycleRule> = {}): LifecycleRule {
  return { id, enabled: true, prefix: '', tags: {}, transitions: [], noncurrentTransitions: [], ...fields };
}

export const signal = (): AbortSignal => AbortSignal.timeout(25_000);
