/** What tests import to talk to the S3 server that the global setup provides. */
export { s3Target, targetIsHarnessRgw, type S3Target } from './target.js';
export { newS3Client, uniqueBucketName, deleteBucketCompletely } from './buckets.js';
export { ensureCephInstalled, cephInstalled } from './install.js';
export { awsCliWith, hasAwsCli, type AwsCliRun } from './aws-cli.js';
