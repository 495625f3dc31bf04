import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { pageSchema } from '../../http/pagination.js';
import { ProblemSchema } from '../../http/problem-schema.js';
import { auditContextOf } from '../audit/index.js';
import { callerOf } from '../auth/index.js';
import {
  CreatedUserSchema,
  CreateUserBody,
  ListUsersQuery,
  UpdateUserBody,
  UserParams,
  UserSchema,
} from './users.schemas.js';
import {
  type ActorContext,
  createUser,
  getUser,
  listUsers,
  type UsersDeps,
  updateUser,
} from './users.service.js';

const tags = ['users'];

export const usersRoutes: FastifyPluginAsyncTypebox<UsersDeps> = async (app, deps) => {
  app.get(
    '/users',
    {
      config: { auth: 'users:read' },
      schema: {
        tags,
        summary: 'List the organisation’s users, by email',
        querystring: ListUsersQuery,
        response: { 200: pageSchema(UserSchema), 400: ProblemSchema },
      },
    },
    async (request) => listUsers(deps, callerOf(request).organizationId, request.query),
  );

  app.post(
    '/users',
    {
      config: { auth: 'users:manage' },
      schema: {
        tags,
        summary: 'Create (invite) a user',
        description:
          'Without a password, one is generated and returned once as `temporaryPassword`. No invitation email is sent yet: hand the password to the user yourself.',
        body: CreateUserBody,
        response: { 201: CreatedUserSchema, 400: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return createUser(deps, actorOf(request), request.body);
    },
  );

  app.get(
    '/users/:id',
    {
      config: { auth: 'users:read' },
      schema: {
        tags,
        summary: 'One user of the organisation',
        params: UserParams,
        response: { 200: UserSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => getUser(deps, callerOf(request).organizationId, request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      config: { auth: 'users:manage' },
      schema: {
        tags,
        summary: 'Change a user’s name, role or active state',
        description:
          'No one changes their own role or deactivates themselves; only owners grant or take away the owner role or change an owner; an organisation keeps at least one active owner. Deactivating ends the user’s sessions at once.',
        params: UserParams,
        body: UpdateUserBody,
        response: {
          200: UserSchema,
          400: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
        },
      },
    },
    async (request) => updateUser(deps, actorOf(request), request.params.id, request.body),
  );
};

function actorOf(request: FastifyRequest): ActorContext {
  return { audit: auditContextOf(request), role: callerOf(request).user?.role };
}
