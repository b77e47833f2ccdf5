/**
 * Whether the server supports bucket default encryption, found with one read that changes nothing: GET ?encryption
 * on a bucket that exists. AWS answers with a configuration (every bucket has SSE-S3 since 2023) or
 * ServerSideEncryptionConfigurationNotFoundError; Ceph RGW 16 does not implement it and answers with an unrelated
 * listing that the SDK reads as a configuration without rules. Nothing is ever written or deleted to find out:
 * on RGW 16, DELETE ?encryption deletes the bucket itself.
 *
 * The bucket read is the environment's own where one exists. Before any does, another bucket on the server answers
 * for it, and is not named: the report goes into this environment's plan, which may be posted on a pull request.
 */
import { GetBucketEncryptionCommand } from '@aws-sdk/client-s3';
import type { CapabilityReport } from '../../model/resources.js';
import { ProviderError } from '../../errors/provider-error.js';
import { errorName, httpStatus, isS3Error } from './errors.js';
import { call, type S3Session } from './session.js';

const UNSUPPORTED_ERRORS = ['NotImplemented', 'MethodNotAllowed', 'UnsupportedOperation'];

export interface EncryptionProbe {
  bucket: string;
  /** `bucket akosha-backups-dev`, or `another bucket on this server` for one the environment does not declare. */
  shownAs: string;
}

export async function probeEncryption(
  session: S3Session,
  probe: EncryptionProbe | undefined,
): Promise<CapabilityReport> {
  const report = (supported: boolean, detail: string): CapabilityReport => ({
    capability: 'encryption',
    supported,
    detail,
  });
  if (probe === undefined) {
    return report(
      false,
      'not verified: no bucket exists yet to probe; strata leaves default encryption alone until a plan made after the buckets exist',
    );
  }
  const { bucket, shownAs } = probe;
  try {
    const out = await call(session, new GetBucketEncryptionCommand({ Bucket: bucket }));
    if (out.ServerSideEncryptionConfiguration?.Rules?.length)
      return report(true, `${shownAs} answered with its default encryption`);
    return report(
      false,
      `the server answered GET ?encryption on ${shownAs} without any rule (Ceph RGW 16 does this: default encryption is not implemented); strata will not read or change bucket encryption here`,
    );
  } catch (error) {
    // No answer in time (or the caller's deadline) says nothing about the capability.
    if (error instanceof ProviderError || session.signal.aborted) throw error;
    if (isS3Error(error, 'ServerSideEncryptionConfigurationNotFoundError')) {
      return report(true, `${shownAs} has no default encryption, and the server supports it`);
    }
    const status = httpStatus(error);
    if (isS3Error(error, ...UNSUPPORTED_ERRORS) || status === 501 || status === 405) {
      return report(
        false,
        `the server does not implement bucket default encryption (${errorName(error)} on ${shownAs})`,
      );
    }
    return report(
      false,
      `not verified: GET ?encryption on ${shownAs} failed with ${errorName(error)}${status ? ` (HTTP ${status})` : ''}`,
    );
  }
}
