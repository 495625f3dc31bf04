import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemSchema } from '../../http/problem-schema.js';
import { requestOriginOf } from '../audit/index.js';
import { callerOf } from './auth.guard.js';
import { CurrentUserSchema, LoginBody, RefreshBody, SessionSchema } from './auth.schemas.js';
import { type AuthDeps, login, logout, refresh } from './auth.service.js';

const tags = ['auth'];

export const authRoutes: FastifyPluginAsyncTypebox<AuthDeps> = async (app, deps) => {
  app.post(
    '/auth/login',
    {
      // Besides the per-account and per-address failure throttle, a plain request cap
      // keeps anyone from making the server hash passwords all day.
      config: { auth: 'public', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Log in with email and password',
        body: LoginBody,
        response: { 200: SessionSchema, 401: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request) => login(deps, request.body, requestOriginOf(request)),
  );

  app.post(
    '/auth/refresh',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Trade a refresh token (once) for a new access and refresh token',
        body: RefreshBody,
        response: { 200: SessionSchema, 401: ProblemSchema },
      },
    },
    async (request) => refresh(deps, request.body.refreshToken, requestOriginOf(request)),
  );

  app.post(
    '/auth/logout',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'End the login a refresh token belongs to',
        body: RefreshBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await logout(deps, request.body.refreshToken, requestOriginOf(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { auth: 'organization:read' },
      schema: {
        tags,
        summary: 'Who the access token belongs to',
        response: { 200: CurrentUserSchema },
      },
    },
    async (request) => callerOf(request).user,
  );
};
