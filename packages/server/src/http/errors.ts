/**
 * Errors a client can see, as RFC 9457 problem details. Each code has one status and
 * title; its `type` URI resolves to its description at /problems/{slug}. Modules add
 * their own catalogues with `defineErrors` and list them in error-catalogues.ts.
 */
export interface ErrorDefinition {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly description: string;
}

type Entries = Record<string, Omit<ErrorDefinition, 'code'>>;

export function defineErrors<const T extends Entries>(
  namespace: string,
  entries: T,
): { readonly [K in keyof T & string]: ErrorDefinition } {
  return Object.fromEntries(
    Object.entries(entries).map(([name, entry]) => [
      name,
      { code: `${namespace}_${name}`, ...entry },
    ]),
  ) as { readonly [K in keyof T & string]: ErrorDefinition };
}

export const HttpErrors = defineErrors('HTTP', {
  VALIDATION_FAILED: {
    status: 400,
    title: 'The request is not valid',
    description: 'One or more fields are missing or malformed; `errors` names each one.',
  },
  MALFORMED_REQUEST: {
    status: 400,
    title: 'The request could not be read',
    description: 'The body is not well-formed (for example invalid JSON) or a header is malformed.',
  },
  NOT_FOUND: {
    status: 404,
    title: 'Not found',
    description: 'No resource exists at this address, or it belongs to another organisation.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'The request body is too large',
    description: 'Split the data into smaller requests or use a batch or import endpoint.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported content type',
    description: 'Send the body as application/json unless the endpoint documents otherwise.',
  },
  RATE_LIMITED: {
    status: 429,
    title: 'Too many requests',
    description: 'The client exceeded its request rate; wait for the Retry-After header seconds.',
  },
  SHUTTING_DOWN: {
    status: 503,
    title: 'The server is shutting down',
    description: 'Retry the request; another instance or the restarted server will answer.',
  },
  INTERNAL_ERROR: {
    status: 500,
    title: 'Internal server error',
    description:
      'Something failed on our side. The request id in the response finds it in the logs.',
  },
});

export function problemSlug(code: string): string {
  return code.toLowerCase().replace(/_/g, '-');
}

export function problemType(code: string): string {
  return `/problems/${problemSlug(code)}`;
}

/** One field at fault in a request. `in` is body, querystring, params or headers. */
export interface FieldError {
  readonly in: string;
  readonly field: string;
  readonly message: string;
}

/** An expected failure: the error handler renders it as its problem document. */
export class AppError extends Error {
  constructor(
    readonly definition: ErrorDefinition,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    /** Response headers that go with the problem, such as Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? definition.title);
    this.name = 'AppError';
  }

  get statusCode(): number {
    return this.definition.status;
  }
}
