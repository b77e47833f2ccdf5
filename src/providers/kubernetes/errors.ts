/** Turns what the Kubernetes client throws into a ProviderError that says what the server said. */
import { ApiException } from '@kubernetes/client-node';
import type { ResourceAddress } from '../../model/address.js';
import { ProviderError } from '../../errors/provider-error.js';

export interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
}

/** client-node 1.x keeps the response body as raw text. */
export function statusOf(error: unknown): StatusBody | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body === 'object' && body !== null) return body;
  try {
    return JSON.parse(String(body)) as StatusBody;
  } catch {
    return { code: error.code, message: typeof body === 'string' && body !== '' ? body : error.message };
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

/**
 * The cluster does not serve the kind's API at all: discovery of its group version answers 404, or lists other
 * kinds only, which client-node reports in words alone ("Unrecognized API version and kind"), so the words are read.
 */
export function isKindNotServed(error: unknown): boolean {
  return isNotFound(error) || (error instanceof Error && error.message.startsWith('Unrecognized API version and kind'));
}

/** A LIST's next page asked of a snapshot etcd has compacted away since the first (410, reason Expired). */
export function isExpired(error: unknown): boolean {
  return error instanceof ApiException && error.code === 410;
}

/** The object's resourceVersion moved since it was read (not a field-manager conflict of server-side apply). */
export function isVersionConflict(error: unknown): boolean {
  return error instanceof ApiException && error.code === 409 && fieldManagerConflicts(statusOf(error)).length === 0;
}

/** The fields another manager owns that a server-side apply would have changed, as the 409 names them. */
function fieldManagerConflicts(status: StatusBody | undefined): { message?: string; field?: string }[] {
  return (status?.details?.causes ?? []).filter((cause) => cause.reason === 'FieldManagerConflict');
}

export function toProviderError(error: unknown, server: string, address?: ResourceAddress): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof ApiException) {
    const status = statusOf(error);
    const code = error.code;
    return new ProviderError(status?.message ?? `HTTP ${code}`, {
      ...(address ? { address } : {}),
      status: code,
      retryable: code === 429 || code >= 500,
      hint: hintFor(code, status),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`cannot reach the Kubernetes API at ${server}: ${message}`, {
    ...(address ? { address } : {}),
    retryable: true,
    hint: 'check the cluster is up and the kubeconfig context points at it (kubectl cluster-info)',
    cause: error,
  });
}

function hintFor(code: number, status: StatusBody | undefined): string | undefined {
  const conflictManagers = fieldManagerConflicts(status).map((cause) => `${cause.message} at ${cause.field}`);
  if (code === 409 && conflictManagers.length > 0) {
    return `another field manager owns these fields (${conflictManagers.join('; ')}); strata takes only what a plan showed it taking: plan again, and the plan names the fields apply would take from them (or blocks them with --no-force-conflicts)`;
  }
  if (code === 409) return 'the object changed since it was read; run strata plan again';
  if (code === 403) return forbiddenHint(status?.message);
  if (code === 401)
    return 'the API server did not accept the credentials of the kubeconfig context; log in again or refresh its token';
  if (code === 429 || code >= 500) return 'the API server is overloaded or failing; try again later';
  return undefined;
}

/** RBAC's denial names the verb, resource, group and scope; the hint turns them into the grant and the check. */
const RBAC_DENIAL =
  /cannot (\S+) resource "([^"]+)" in API group "([^"]*)" (?:in the namespace "([^"]+)"|at the cluster scope)/;

function forbiddenHint(message: string | undefined): string {
  const denial = message ? RBAC_DENIAL.exec(message) : null;
  if (!denial)
    return 'the kubeconfig context lacks an RBAC permission this needs; the README lists what strata must be allowed to do';
  const [, verb, resource, group, namespace] = denial;
  const qualified = group ? `${resource}.${group}` : resource;
  const scope = namespace ? ` -n ${namespace}` : ' --all-namespaces';
  const where = namespace ? ` in ${namespace}` : ' cluster-wide';
  return `grant the kubeconfig's user \`${verb}\` on ${qualified}${where}, as the README's permissions list says; check with: kubectl auth can-i ${verb} ${qualified}${scope}`;
}
