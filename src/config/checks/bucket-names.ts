/** S3 bucket naming rules (general purpose buckets), each with the reason AWS gives. */
import { pointer } from '../pointer.js';
import { type Check, entries, error } from './check.js';

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** What is wrong with a bucket name and how to fix it; undefined when S3 accepts it. */
export function bucketNameProblem(name: string): string | undefined {
  const rule = (why: string) => `bucket name \`${name}\` ${why}`;
  if (name.length < 3 || name.length > 63) return rule(`has ${name.length} characters; S3 bucket names have 3 to 63`);
  if (/[A-Z]/.test(name))
    return rule(`has uppercase letters; S3 bucket names are lowercase: write \`${name.toLowerCase()}\``);
  if (/[^a-z0-9.-]/.test(name)) return rule("may hold only lowercase letters, digits, '.' and '-'");
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return rule('must start and end with a letter or digit');
  if (name.includes('..')) return rule('must not have two adjacent periods');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return rule('must not look like an IP address');
  const prefix = RESERVED_PREFIXES.find((reserved) => name.startsWith(reserved));
  if (prefix) return rule(`must not start with \`${prefix}\` (reserved by AWS)`);
  const suffix = RESERVED_SUFFIXES.find((reserved) => name.endsWith(reserved));
  if (suffix) return rule(`must not end with \`${suffix}\` (reserved by AWS)`);
  return undefined;
}

export const checkBucketNames: Check = ({ document, accepted }) =>
  entries(document.buckets).flatMap(([key, bucket]) => {
    const path = pointer('buckets', key, 'name');
    if (!accepted(path) || typeof bucket.name !== 'string') return [];
    const problem = bucketNameProblem(bucket.name);
    return problem ? [error(path, problem)] : [];
  });
