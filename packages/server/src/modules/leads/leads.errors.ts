import { defineErrors } from '../../http/errors.js';

export const LeadsErrors = defineErrors('LEADS', {
  NOT_FOUND: {
    status: 404,
    title: 'Lead not found',
    description: 'No lead has this id in your organisation (it may have been deleted).',
  },
  DUPLICATE_EMAIL: {
    status: 409,
    title: 'A lead with this email already exists',
    description:
      'Emails are unique per organisation; `existingId` is the lead that has it. Update that lead, or POST with `?upsert=true` to update it in place.',
  },
});
