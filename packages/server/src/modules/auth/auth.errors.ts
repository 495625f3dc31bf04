import { defineErrors } from '../../http/errors.js';

export const AuthErrors = defineErrors('AUTH', {
  UNAUTHENTICATED: {
    status: 401,
    title: 'Authentication required',
    description:
      'Send a valid access token or API key as `Authorization: Bearer …` (or an API key as X-API-Key).',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    title: 'Email or password is wrong',
    description: 'The same answer is given whether or not the email exists, so it reveals nothing.',
  },
  INVALID_REFRESH_TOKEN: {
    status: 401,
    title: 'The refresh token is not valid',
    description: 'It is unknown, expired or revoked, or it was already used: log in again.',
  },
  FORBIDDEN: {
    status: 403,
    title: 'Not allowed',
    description: 'Your role (or your API key’s scopes) does not include the permission this needs.',
  },
  TOO_MANY_ATTEMPTS: {
    status: 429,
    title: 'Too many failed logins',
    description:
      'Logins for this account or from this address are paused; retry after Retry-After seconds.',
  },
});
