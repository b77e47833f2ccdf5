/**
 * Keeps the import direction of the layers (docs/architecture.md, "The layers"):
 *   model, errors  <-  config, providers, plan  <-  apply, drift, promote, coverage  <-  render  <-  cli
 * Only providers touch the Kubernetes and S3 SDKs; only config touches yaml and ajv
 * (promote may edit YAML documents); only render/ink and cli touch ink and react.
 */
const layer = (name) => `^src/${name}/`;
const SDKS = '^(@kubernetes/client-node|@aws-sdk/)';

module.exports = {
  forbidden: [
    {
      name: 'model-is-pure',
      severity: 'error',
      from: { path: '^src/(model|errors)/' },
      to: { path: '^src/(config|providers|plan|apply|drift|promote|coverage|render|cli)/' },
    },
    {
      name: 'model-has-no-dependencies',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { dependencyTypes: ['npm'] },
    },
    {
      name: 'plan-knows-no-systems',
      severity: 'error',
      from: { path: layer('plan') },
      to: { path: ['^src/(config|providers|apply|drift|promote|coverage|render|cli)/', SDKS, '^(ink|react)$'] },
    },
    {
      name: 'config-sees-only-model',
      severity: 'error',
      from: { path: layer('config') },
      to: { path: '^src/(providers|plan|apply|drift|promote|coverage|render|cli)/' },
    },
    {
      name: 'providers-see-only-model',
      severity: 'error',
      from: { path: layer('providers') },
      to: { path: '^src/(config|plan|apply|drift|promote|coverage|render|cli)/' },
    },
    { name: 'sdks-only-in-providers', severity: 'error', from: { pathNot: '^src/providers/' }, to: { path: SDKS } },
    {
      name: 'yaml-and-ajv-only-in-config-and-promote',
      severity: 'error',
      from: { pathNot: '^src/(config|promote)/' },
      to: { path: '^(yaml|ajv|ajv-formats)$' },
    },
    {
      name: 'apply-sees-only-the-provider-interface',
      severity: 'error',
      from: { path: '^src/(apply|drift|promote|coverage)/' },
      to: { path: ['^src/providers/(?!provider\\.ts$)', '^src/(render|cli)/'] },
    },
    {
      name: 'render-is-below-cli',
      severity: 'error',
      from: { path: layer('render') },
      to: { path: ['^src/(cli|providers)/'] },
    },
    {
      name: 'ink-only-in-render-ink-and-cli',
      severity: 'error',
      from: { pathNot: '^src/(render/ink|cli)/' },
      to: { path: '^(ink|react)$' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
