import { defineErrors } from '../../http/errors.js';

export const ImportsErrors = defineErrors('IMPORTS', {
  NOT_FOUND: {
    status: 404,
    title: 'Import not found',
    description: 'No import has this id in your organisation.',
  },
});
