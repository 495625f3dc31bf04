import { defineErrors } from '../../http/errors.js';

export const ExportsErrors = defineErrors('EXPORTS', {
  NOT_ACCEPTABLE: {
    status: 406,
    title: 'No export format matches the Accept header',
    description:
      'Exports are CSV (`text/csv`) or NDJSON (`application/x-ndjson`): accept one of them, or choose with `?format=csv|ndjson`.',
  },
  NOT_FOUND: {
    status: 404,
    title: 'Export not found',
    description: 'No export has this id in your organisation.',
  },
  NOT_READY: {
    status: 409,
    title: 'The export has no file to download',
    description:
      'The export is still queued or running (poll GET /exports/{id} until `status` is `succeeded`), or it failed (`error` says why).',
  },
  FILE_GONE: {
    status: 410,
    title: 'The export file is no longer available',
    description:
      'The file was removed from the export storage, or the server now writes exports to other storage than the one that holds it. Run the export again.',
  },
});
