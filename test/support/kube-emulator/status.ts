/**
 * kube-apiserver's error vocabulary: `Status` bodies built the way apimachinery's `errors.New*` functions build them,
 * and `field.Error` texts as `field.Error.Error()` prints them, so clients see byte-for-byte the real messages.
 */
import type { ResourceType } from './resources.js';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) {
      const { code, ...rest } = body;
      return { ...rest, details: this.details, code };
    }
    return body;
  }
}

/** `persistentvolumeclaims` or `storageclasses.storage.k8s.io`: apimachinery's GroupResource.String(). */
export function groupResource(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** `PersistentVolumeClaim` or `StorageClass.storage.k8s.io`: GroupKind.String(). */
export function groupKind(type: ResourceType): string {
  return type.group ? `${type.kind}.${type.group}` : type.kind;
}

function resourceDetails(type: ResourceType, name: string): StatusDetails {
  return { name, ...(type.group ? { group: type.group } : {}), kind: type.plural };
}

export function notFound(type: ResourceType, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${groupResource(type)} ${JSON.stringify(name)} not found`, resourceDetails(type, name));
}

export function alreadyExists(type: ResourceType, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${groupResource(type)} ${JSON.stringify(name)} already exists`, resourceDetails(type, name));
}

export const STALE_OBJECT = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(type: ResourceType, name: string, why: string = STALE_OBJECT): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${groupResource(type)} ${JSON.stringify(name)}: ${why}`, resourceDetails(type, name));
}

export function forbidden(type: ResourceType, name: string, why: string): ApiError {
  const subject = name ? `${groupResource(type)} ${JSON.stringify(name)}` : groupResource(type);
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: ${why}`, resourceDetails(type, name));
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function unsupportedMediaType(accepted: string[]): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

/** A 422 that is not a field error list, e.g. a JSON patch that cannot be applied (errors.NewGenericServerResponse). */
export function unprocessable(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

/** One entry of a `field.ErrorList`. */
export interface FieldError {
  type: 'Required' | 'Forbidden' | 'Invalid' | 'NotSupported' | 'Duplicate' | 'TooLong';
  field: string;
  /** Absent for Required, Forbidden and TooLong, which never print the value. */
  value?: unknown;
  detail?: string;
}

const TYPE_TEXT: Record<FieldError['type'], string> = {
  Required: 'Required value',
  Forbidden: 'Forbidden',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Duplicate: 'Duplicate value',
  TooLong: 'Too long',
};

const CAUSE_REASON: Record<FieldError['type'], string> = {
  Required: 'FieldValueRequired',
  Forbidden: 'FieldValueForbidden',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Duplicate: 'FieldValueDuplicate',
  TooLong: 'FieldValueTooLong',
};

export const required = (field: string, detail?: string): FieldError => ({ type: 'Required', field, detail });
export const forbiddenField = (field: string, detail: string): FieldError => ({ type: 'Forbidden', field, detail });
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'Invalid', field, value, detail });
export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'NotSupported',
  field,
  value,
  detail: `supported values: ${supported.map((entry) => JSON.stringify(entry)).join(', ')}`,
});

/** `field.Error.ErrorBody()`: the type, the value for the types that print it (strings quoted), then the detail. */
export function errorBody(error: FieldError): string {
  let text = TYPE_TEXT[error.type];
  if (error.type !== 'Required' && error.type !== 'Forbidden' && error.type !== 'TooLong') {
    const value = error.value;
    text += `: ${typeof value === 'string' ? JSON.stringify(value) : value === undefined || value === null ? 'null' : String(value)}`;
  }
  return error.detail ? `${text}: ${error.detail}` : text;
}

/** `errors.NewInvalid`: one error bare, several as `[e1, e2]` (duplicates removed, as utilerrors.NewAggregate does). */
export function invalidObject(type: ResourceType, name: string, errors: FieldError[]): ApiError {
  const texts = [...new Set(errors.map((error) => `${error.field}: ${errorBody(error)}`))];
  const summary = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${groupKind(type)} ${JSON.stringify(name)} is invalid: ${summary}`, {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.kind,
    causes: errors.map((error) => ({ reason: CAUSE_REASON[error.type], message: errorBody(error), field: error.field })),
  });
}

/** A 422 about the request's options (PatchOptions, CreateOptions): `errors.NewInvalid` on the meta.k8s.io options kind. */
export function invalidOptions(optionsKind: string, errors: FieldError[]): ApiError {
  const texts = errors.map((error) => `${error.field}: ${errorBody(error)}`);
  const summary = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${optionsKind}.meta.k8s.io "" is invalid: ${summary}`, {
    group: 'meta.k8s.io',
    kind: optionsKind,
    causes: errors.map((error) => ({ reason: CAUSE_REASON[error.type], message: errorBody(error), field: error.field })),
  });
}
