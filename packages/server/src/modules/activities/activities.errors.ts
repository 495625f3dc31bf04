import { defineErrors } from '../../http/errors.js';

/** Why an activity is refused; in a batch each one is reported by index with its code. */
export const ActivityErrors = defineErrors('ACTIVITIES', {
  INVALID_ITEM: {
    status: 400,
    title: 'The activity is not valid',
    description:
      'A field of the activity is missing or malformed (give `leadId` or `leadEmail`, `createLead` only with `leadEmail`, `timestamp` as ISO 8601 with an offset); `errors` names each one.',
  },
  UNKNOWN_TYPE: {
    status: 400,
    title: 'Unknown activity type',
    description:
      'The type is neither one of the documented activity types (see POST /activities) nor a custom type `custom:<name>` (1–64 of `a-z 0-9 _ . -`).',
  },
  INVALID_DATA: {
    status: 400,
    title: 'The activity data does not fit its type',
    description:
      '`data` must match the JSON Schema of its type (see POST /activities) and serialise to at most 16 KB; `errors` names each field.',
  },
  FUTURE_TIMESTAMP: {
    status: 400,
    title: 'The activity lies in the future',
    description:
      '`timestamp` is more than 5 minutes ahead of the server clock. Send when it happened, with its UTC offset.',
  },
  LEAD_NOT_FOUND: {
    status: 404,
    title: 'Lead not found',
    description:
      'No lead of your organisation has this id or email. To create it, send `leadEmail` with `createLead: true`.',
  },
});
