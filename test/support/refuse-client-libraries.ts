/**
 * Loaded with `node --import` after tsx: any import of the Kubernetes or S3 client library fails, naming it. A command
 * run so proves it never needs them.
 */
import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, nextResolve) {
  if (/^(@kubernetes\\/client-node|@aws-sdk\\/client-s3)(\\/|$)/.test(specifier)) {
    throw new Error('refused to load ' + specifier);
  }
  return nextResolve(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
