import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { pageSchema } from '../../http/pagination.js';
import { ProblemSchema } from '../../http/problem-schema.js';
import { auditContextOf } from '../audit/index.js';
import { callerOf } from '../auth/index.js';
import {
  CreateExportBody,
  ExportParams,
  ExportSchema,
  LeadExportQuery,
  ListExportsQuery,
} from './exports.schemas.js';
import * as service from './exports.service.js';

const tags = ['exports'];
const problems = { 400: ProblemSchema, 404: ProblemSchema };

/** A file in the response, documented under each media type it may take. */
const fileResponse = (description: string) => ({
  description,
  content: {
    'text/csv': { schema: Type.String() },
    'application/x-ndjson': { schema: Type.String() },
  },
});

/**
 * Streams a file as an attachment, which no cache may keep (it holds personal data). The reply
 * is taken untyped: its schema documents the body as text, which a stream is not to the type
 * provider.
 */
function sendFile(
  reply: FastifyReply,
  file: { body: Readable; contentType: string; filename: string },
): FastifyReply {
  return reply
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('cache-control', 'no-store')
    .send(file.body);
}

export const exportRoutes: FastifyPluginAsyncTypebox<service.ExportsDeps> = async (app, deps) => {
  app.get(
    '/exports/leads',
    {
      config: { auth: 'exports:run' },
      schema: {
        tags,
        summary: 'Export the leads that match the list filters, streamed as CSV or NDJSON',
        description:
          'The format is `?format=` or else the Accept header (text/csv or application/x-ndjson); ' +
          'CSV when neither says. Columns: id, email, firstName, lastName, company, jobTitle, ' +
          'phone, website, source, status, ownerId, country, industry, companySize, attributes, ' +
          'currentScore, maxScore, currentGrade, lastActivityAt, createdAt, updatedAt. Streamed ' +
          'while it is read, so any number of leads downloads in flat memory.',
        querystring: LeadExportQuery,
        response: {
          200: fileResponse('the leads, as an attachment'),
          400: ProblemSchema,
          406: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const { format: asked, ...filters } = request.query;
      const format = service.chooseFormat(asked, request.headers.accept);
      const file = await service.exportLeads(deps, auditContextOf(request), { format, filters });
      return sendFile(reply, { ...file, body: Readable.from(file.chunks, { objectMode: false }) });
    },
  );

  app.post(
    '/exports',
    {
      config: { auth: 'exports:run' },
      schema: {
        tags,
        summary: 'Export leads, activities or scores to a file, in the background',
        description:
          'A job writes the file to the data dir or the S3 bucket configured for exports; ' +
          'GET /exports/{id} tells its progress and GET /exports/{id}/download serves it.',
        body: CreateExportBody,
        response: {
          202: { ...ExportSchema, description: 'the export, queued' },
          400: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const created = await service.createExport(deps, auditContextOf(request), request.body);
      return reply.status(202).header('location', `/exports/${created.id}`).send(created);
    },
  );

  app.get(
    '/exports',
    {
      config: { auth: 'exports:run' },
      schema: {
        tags,
        summary: 'The organisation’s background exports, newest first',
        querystring: ListExportsQuery,
        response: { 200: pageSchema(ExportSchema), 400: ProblemSchema },
      },
    },
    async (request) => service.listExports(deps, callerOf(request).organizationId, request.query),
  );

  app.get(
    '/exports/:id',
    {
      config: { auth: 'exports:run' },
      schema: {
        tags,
        summary: 'A background export: its status, rows and size',
        params: ExportParams,
        response: { 200: ExportSchema, ...problems },
      },
    },
    async (request) => service.getExport(deps, callerOf(request).organizationId, request.params.id),
  );

  app.get(
    '/exports/:id/download',
    {
      config: { auth: 'exports:run' },
      schema: {
        tags,
        summary: 'Download the file of a background export that succeeded',
        params: ExportParams,
        response: {
          200: fileResponse('the file, as an attachment'),
          ...problems,
          409: { ...ProblemSchema, description: 'the export is not finished, or failed' },
          410: { ...ProblemSchema, description: 'the file is no longer in the export storage' },
        },
      },
    },
    async (request, reply) => {
      const file = await service.openDownload(deps, auditContextOf(request), request.params.id);
      if (file.bytes !== null) reply.header('content-length', file.bytes);
      return sendFile(reply, file);
    },
  );
};
