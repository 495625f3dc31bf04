import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Query strings, path parameters and headers arrive as text, so they are coerced to the
 * declared types (`?limit=50` → 50, one `?status=` → [status]). JSON bodies are not: a
 * number sent for a string field, or "" for a nullable one, is an error the client
 * should hear about rather than a value silently changed. Every bad field is reported
 * at once (allErrors); bodies are capped by bodyLimit, which bounds what that costs.
 */
export function installValidators(app: FastifyInstance): void {
  const forBodies = createBodyValidator();
  const forText = createAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? forBodies : forText).compile(schema),
  );
}

/**
 * A validator configured as the app's for JSON bodies, for code that checks a body arriving
 * another way (an imported CSV row): it passes or fails exactly as the route would.
 */
export function createBodyValidator(): Ajv {
  return createAjv(false);
}

function createAjv(coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: true });
  addFormats.default(ajv);
  return ajv;
}
