import { defineConfig } from 'vitest/config';

// As in the CLI: the SDK release strata pins supports Node 20, so its notice about later releases is only noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Starts the S3 server once for the whole run and always stops it (see test/support/s3/global-setup.ts).
    globalSetup: ['test/support/s3/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    pool: 'forks',
  },
});
