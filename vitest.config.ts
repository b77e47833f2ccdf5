import { defineConfig } from 'vitest/config';

// As in the CLI: the SDK release strata pins supports Node 20, so its notice about later releases is only noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Start the S3 server and the Kubernetes control plane once for the whole run, when a selected file needs them,
    // and always stop them (see test/support/s3/global-setup.ts and test/support/kube/global-setup.ts).
    globalSetup: ['test/support/s3/global-setup.ts', 'test/support/kube/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    pool: 'forks',
  },
});
