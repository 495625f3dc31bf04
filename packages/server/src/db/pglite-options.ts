import type { PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/**
 * What every embedded database is opened with. PostgreSQL ships these extensions with
 * its contrib package; PGlite needs them loaded when it opens, or the migrations that
 * create them fail.
 */
export const PGLITE_OPTIONS = {
  // pg_trgm: the trigram index behind lead search (`GET /leads?q=`).
  extensions: { pg_trgm },
} satisfies PGliteOptions;
