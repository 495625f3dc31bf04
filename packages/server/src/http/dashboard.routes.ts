import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { AppError, HttpErrors } from './errors.js';

/** Where the dashboard lives: its router's paths and its built files, beside the API's paths. */
export const DASHBOARD_PREFIX = '/app/';

/** packages/web/dist, from src/http or dist/http alike. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const page = { config: { auth: 'public' }, schema: { hide: true } } as const;

/**
 * The web dashboard (packages/web, built by `npm run build`): `/` leads to it; a file of the
 * build is served as it is (hashed assets cached for a year, as their names change with their
 * content); any other path under /app/ is one of the dashboard's own pages, so it gets
 * index.html and the dashboard's router takes it from there.
 */
export const dashboardRoutes: FastifyPluginAsync<{ root?: string | undefined }> = async (
  app,
  options,
) => {
  const root = options.root ?? DEFAULT_DASHBOARD_DIR;
  app.get('/', page, (_request, reply) => reply.redirect(DASHBOARD_PREFIX));
  if (!existsSync(path.join(root, 'index.html'))) {
    app.get(`${DASHBOARD_PREFIX}*`, page, async () => {
      throw new AppError(
        HttpErrors.NOT_FOUND,
        'The dashboard is not built: run `npm run build` (npm start does it), then restart',
      );
    });
    return;
  }
  await app.register(fastifyStatic, {
    root,
    serve: false,
    setHeaders: (reply, file) => {
      reply.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  // The build does not change under a running server: its files are listed once.
  const files = new Set(
    (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) =>
        path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
      ),
  );
  app.get(`${DASHBOARD_PREFIX}*`, page, (request, reply) => {
    const wanted = (request.params as { '*': string })['*'];
    return reply.sendFile(files.has(wanted) ? wanted : 'index.html');
  });
};
