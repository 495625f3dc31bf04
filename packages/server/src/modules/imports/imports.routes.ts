import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError, HttpErrors } from '../../http/errors.js';
import { pageSchema } from '../../http/pagination.js';
import { ProblemSchema } from '../../http/problem-schema.js';
import { auditContextOf } from '../audit/index.js';
import { callerOf } from '../auth/index.js';
import {
  IMPORT_KINDS,
  ImportErrorSchema,
  ImportErrorsQuery,
  ImportForm,
  ImportParams,
  ImportSchema,
  ListImportsQuery,
} from './imports.schemas.js';
import * as service from './imports.service.js';

/** The largest CSV an upload may carry; the CLI, which reads a local file, has no limit. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** The most a form's text fields take (the mapping is the largest). */
const FIELD_BYTES = 64 * 1024;
/** A body longer than the file limit by more than the fields can take is refused unread. */
const FORM_ALLOWANCE = 1024 * 1024;

const tags = ['imports'];
const problems = { 400: ProblemSchema, 404: ProblemSchema };

const FORM_DESCRIPTION = `Send multipart/form-data: \`file\` (the CSV, at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB) and the options as text fields. The file is checked (its header against the mapping) and stored, and the import runs as a job: follow it at the Location given. Row numbers in the report count data rows, 1 being the first after the header. An empty cell leaves its field as it is (or at its default).`;

export const importRoutes: FastifyPluginAsyncTypebox<service.ImportsDeps> = async (app, deps) => {
  // Only these routes read multipart bodies: the plugin stays inside this one.
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 2, fields: 10, fieldSize: FIELD_BYTES, parts: 20 },
  });

  for (const kind of IMPORT_KINDS) {
    app.post(
      `/imports/${kind}`,
      {
        config: { auth: 'imports:run' },
        // The parts are read as they stream in (see formOf), not validated as a whole body:
        // the schema documents the form.
        validatorCompiler: () => () => true,
        schema: {
          tags,
          summary: `Import ${kind} from a CSV file`,
          description:
            kind === 'leads'
              ? `${FORM_DESCRIPTION} Rows are checked as POST /leads bodies and deduplicated by email (within the file too): a row whose email a lead has updates it with the values it gives, or with onDuplicate=skip leaves it alone. Columns that name no field (such as the export's id or currentScore) are ignored. An \`attributes.<key>\` cell is a number or boolean when written exactly as one prints (42, -3.5, true), text otherwise, and is set on top of the lead's attributes; an \`attributes\` cell (JSON) replaces them.`
              : `${FORM_DESCRIPTION} Rows are checked as POST /activities bodies (timestamps ISO 8601 with offset) and attached to existing leads by leadEmail or leadId; a row repeating a stored idempotencyKey is skipped. The scorer counts imported activities as any others; no new_lead_activity event is sent for them.`,
          consumes: ['multipart/form-data'],
          body: ImportForm(kind),
          response: {
            202: ImportSchema,
            400: ProblemSchema,
            413: ProblemSchema,
            415: ProblemSchema,
          },
        },
      },
      async (request, reply) => {
        const created = await service.createImport(
          deps,
          auditContextOf(request),
          kind,
          formOf(request),
        );
        return reply.status(202).header('location', `/imports/${created.id}`).send(created);
      },
    );
  }

  app.get(
    '/imports',
    {
      config: { auth: 'imports:run' },
      schema: {
        tags,
        summary: 'List the organisation’s imports, newest first',
        querystring: ListImportsQuery,
        response: { 200: pageSchema(ImportSchema), 400: ProblemSchema },
      },
    },
    async (request) => service.listImports(deps, callerOf(request).organizationId, request.query),
  );

  app.get(
    '/imports/:id',
    {
      config: { auth: 'imports:run' },
      schema: {
        tags,
        summary: 'An import: its status, progress and counts',
        params: ImportParams,
        response: { 200: ImportSchema, ...problems },
      },
    },
    async (request) => service.getImport(deps, callerOf(request).organizationId, request.params.id),
  );

  app.get(
    '/imports/:id/errors',
    {
      config: { auth: 'imports:run' },
      schema: {
        tags,
        summary: 'The validation report: each refused row, with the column and the reason',
        description:
          'In file order; `row` counts data rows, 1 being the first after the header (blank lines are not counted). A row refused for several reasons is listed once for each.',
        params: ImportParams,
        querystring: ImportErrorsQuery,
        response: { 200: pageSchema(ImportErrorSchema), ...problems },
      },
    },
    async (request) =>
      service.listImportErrors(
        deps,
        callerOf(request).organizationId,
        request.params.id,
        request.query,
      ),
  );
};

/** The multipart parts as the service reads them, with the parser's refusals as problems. */
async function* formOf(request: FastifyRequest): AsyncGenerator<service.FormPart> {
  if (!request.isMultipart()) {
    throw new AppError(
      HttpErrors.UNSUPPORTED_MEDIA_TYPE,
      'Send multipart/form-data: the CSV as `file`, the options as fields',
    );
  }
  if (Number(request.headers['content-length']) > MAX_UPLOAD_BYTES + FORM_ALLOWANCE) {
    throw multipartProblem({ code: 'FST_REQ_FILE_TOO_LARGE' });
  }
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        yield { type: 'field', name: part.fieldname, value: String(part.value) };
      } else {
        yield {
          type: 'file',
          name: part.fieldname,
          fileName: part.filename || null,
          content: withinLimit(part.file),
        };
      }
    }
  } catch (error) {
    throw multipartProblem(error);
  }
}

async function* withinLimit(file: AsyncIterable<Buffer> & { truncated: boolean }) {
  try {
    yield* file;
  } catch (error) {
    throw multipartProblem(error);
  }
  // The parser stops reading at the limit and ends the stream as if the file ended there.
  if (file.truncated) throw multipartProblem({ code: 'FST_REQ_FILE_TOO_LARGE' });
}

const TOO_LARGE = new Set([
  'FST_REQ_FILE_TOO_LARGE',
  'FST_FILES_LIMIT',
  'FST_FIELDS_LIMIT',
  'FST_PARTS_LIMIT',
]);

/** Every failure of the multipart parser is the client's: a 413 past a limit, else a 400. */
function multipartProblem(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const { code, message } = error as { code?: string; message?: string };
  if (code !== undefined && TOO_LARGE.has(code)) {
    return new AppError(
      HttpErrors.PAYLOAD_TOO_LARGE,
      `An import takes one CSV of at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB and a few fields; split the file, or import it with the leadscore import command`,
    );
  }
  return new AppError(
    HttpErrors.MALFORMED_REQUEST,
    `The multipart body cannot be read: ${message ?? 'malformed'}`,
  );
}
