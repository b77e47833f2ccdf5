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
  if (typeof body === 'object' && body !== null) return body as StatusBody;
  try {
    return JSON.parse(String(body)) as StatusBody;
  } catch {
    return { code: error.code, message: String(body || error.message) };
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
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
  const conflictManagers = (status?.details?.causes ?? [])
    .filter((cause) => cause.reason === 'FieldManagerConflict')
    .map((cause) => `${cause.message} at ${cause.field}`);
  if (code === 409 && conflictManagers.length > 0) {
    return `another field manager owns these fields (${conflictManagers.join('; ')}); strata never takes them silently: align the environment file with the live value, or remove the other manager's ownership, then plan again`;
  }
  if (code === 409) return 'the object changed since it was read; run strata plan again';
  if (code === 401 || code === 403) return 'check the credentials and RBAC permissions of the kubeconfig context';
  if (code === 429 || code >= 500) return 'the API server is overloaded or failing; try again later';
  return undefined;
}
