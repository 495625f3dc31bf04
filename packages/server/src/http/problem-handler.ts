import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  AppError,
  type ErrorDefinition,
  type FieldError,
  HttpErrors,
  problemType,
} from './errors.js';

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/** Fastify's own client errors, by code, mapped onto our catalogue. */
const FASTIFY_ERRORS: Record<string, ErrorDefinition> = {
  FST_ERR_CTP_INVALID_JSON_BODY: HttpErrors.MALFORMED_REQUEST,
  FST_ERR_CTP_EMPTY_JSON_BODY: HttpErrors.MALFORMED_REQUEST,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: HttpErrors.MALFORMED_REQUEST,
  FST_ERR_CTP_BODY_TOO_LARGE: HttpErrors.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: HttpErrors.UNSUPPORTED_MEDIA_TYPE,
};

/** Every error leaves as application/problem+json; unexpected ones are logged, never shown. */
export function registerProblemHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      reply.headers(error.headers);
      return sendProblem(request, reply, error.definition, error.detail, error.extensions);
    }
    if (error.validation) {
      const errors = relevantIssues(error.validation).map((issue) =>
        describeIssue(issue, error.validationContext ?? 'body'),
      );
      return sendProblem(
        request,
        reply,
        HttpErrors.VALIDATION_FAILED,
        errors.map((e) => `${e.in}.${e.field}: ${e.message}`).join('; '),
        { errors },
      );
    }
    const known = FASTIFY_ERRORS[error.code];
    if (known) return sendProblem(request, reply, known, error.message);
    if (error.statusCode === 503) return sendProblem(request, reply, HttpErrors.SHUTTING_DOWN);

    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, HttpErrors.INTERNAL_ERROR);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      HttpErrors.NOT_FOUND,
      `${request.method} ${request.url} does not exist`,
    ),
  );
}

function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  definition: ErrorDefinition,
  detail?: string,
  extensions: Record<string, unknown> = {},
) {
  return reply
    .status(definition.status)
    .type('application/problem+json')
    .send({
      type: problemType(definition.code),
      title: definition.title,
      status: definition.status,
      ...(detail && { detail }),
      instance: request.url,
      code: definition.code,
      requestId: request.id,
      ...extensions,
    });
}

/**
 * A nullable field (`string | null`) that is neither yields three issues: the string
 * rule, "must be null" and "must match a schema in anyOf". Only the first helps.
 */
function relevantIssues(issues: ValidationIssue[]): ValidationIssue[] {
  const paths = new Set(
    issues.filter((issue) => !isUnionNoise(issue)).map((issue) => issue.instancePath),
  );
  return issues.filter((issue) => !(isUnionNoise(issue) && paths.has(issue.instancePath)));
}

function isUnionNoise(issue: ValidationIssue): boolean {
  return (
    issue.keyword === 'anyOf' ||
    (issue.keyword === 'type' && (issue.params as { type?: unknown }).type === 'null')
  );
}

/** Turns an Ajv issue into "which field, what is wrong" in the client's terms. */
function describeIssue(issue: ValidationIssue, location: string): FieldError {
  const path = issue.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = issue.params as Record<string, unknown>;
  if (issue.keyword === 'required') path.push(String(params.missingProperty));
  if (issue.keyword === 'additionalProperties') {
    path.push(String(params.additionalProperty));
    return { in: location, field: path.join('.'), message: 'is not an allowed property' };
  }
  return {
    in: location,
    field: path.join('.') || '(root)',
    message: issue.message ?? 'is invalid',
  };
}
