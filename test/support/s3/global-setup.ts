/** Placeholder until the S3 test server lands: tests that need S3 are not written yet. */
export default function setup(): void {}
