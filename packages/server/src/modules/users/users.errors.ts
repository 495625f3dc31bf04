import { defineErrors } from '../../http/errors.js';

export const UsersErrors = defineErrors('USERS', {
  EMAIL_TAKEN: {
    status: 409,
    title: 'The email is already in use',
    description:
      'Users log in by email alone, so an email belongs to one user across all organisations.',
  },
  SELF_CHANGE: {
    status: 400,
    title: 'You cannot change your own role or deactivate yourself',
    description:
      'Ask another admin or owner: no one can lock themselves out or raise or lower their own role.',
  },
  OWNER_ONLY: {
    status: 403,
    title: 'Only an owner can do this',
    description:
      'Granting or taking away the owner role, and changing an owner’s account, is reserved to owners.',
  },
  LAST_OWNER: {
    status: 409,
    title: 'The organisation needs an active owner',
    description:
      'This would leave the organisation without an active owner: make someone else owner first.',
  },
});
