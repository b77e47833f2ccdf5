/**
 * Whether the server supports bucket default encryption, found with one read that changes nothing: GET ?encryption
 * on a bucket that exists. AWS answers with a configuration (every bucket has SSE-S3 since 2023) or
 * ServerSideEncryptionConfigurationNotFoundError; Ceph RGW 16 does not implement it and answers with an unrelated
 * listing that the SDK reads as a configuration without rules. Nothing is ever written or deleted to find out:
 * on RGW 16, DELETE ?encryption deletes the bucket itself.
 */
import { GetBucketEncryptionCommand } from '@aws-sdk/client-s3';
import type { CapabilityReport } from '../../model/resources.js';
import { ProviderError } from '../../errors/provider-error.js';
import { errorName, httpStatus, isS3Error } from './errors.js';
import { call, type S3Session } from './session.js';

const UNSUPPORTED_ERRORS = ['NotImplemented', 'MethodNotAllowed', 'UnsupportedOperation'];

export async function probeEncryption(session: S3Session, bucket: string | undefined): Promise<CapabilityReport> {
  const report = (supported: boolean, detail: string): CapabilityReport => ({
    capability: 'encryption',
    supported,
    detail,
  });
  if (bucket === undefined) {
    return report(
      false,
      'not verified: no bucket exists yet to probe; strata leaves default encryption alone until a plan made after the buckets exist',
    );
  }
  try {
    const out = await call(session, new GetBucketEncryptionCommand({ Bucket: bucket }));
    if (out.ServerSideEncryptionConfiguration?.Rules?.length)
      return report(true, `bucket ${bucket} answered with its default encryption`);
    return report(
      false,
      `the server answered GET ?encryption on bucket ${bucket} without any rule (Ceph RGW 16 does this: default encryption is not implemented); strata will not read or change bucket encryption here`,
    );
  } catch (error) {
    // No answer in time (or the caller's deadline) says nothing about the capability.
    if (error instanceof ProviderError || session.signal.aborted) throw error;
    if (isS3Error(error, 'ServerSideEncryptionConfigurationNotFoundError')) {
      return report(true, `bucket ${bucket} has no default encryption, and the server supports it`);
    }
    const status = httpStatus(error);
    if (isS3Error(error, ...UNSUPPORTED_ERRORS) || status === 501 || status === 405) {
      return report(
        false,
        `the server does not implement bucket default encryption (${errorName(error)} on bucket ${bucket})`,
      );
    }
    return report(
      false,
      `not verified: GET ?encryption on bucket ${bucket} failed with ${errorName(error)}${status ? ` (HTTP ${status})` : ''}`,
    );
  }
}
