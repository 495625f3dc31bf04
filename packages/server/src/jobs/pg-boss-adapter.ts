import { CompiledQuery, type Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import type { DB } from '../db/schema.js';

/**
 * pg-boss's `db` option over the app's Kysely handle (or a transaction's), so jobs share the
 * app's connections and a job can be sent inside the transaction that makes it necessary.
 * Kysely's drivers already do what pg-boss needs of each engine: SQL without parameters
 * (pg-boss's multi-statement migrations) goes through PGlite's `exec` or pg's simple query
 * protocol, the rest through a prepared query. On PGlite every statement also waits its turn
 * for the one session.
 */
export function pgBossDb(db: Kysely<DB>): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const query = CompiledQuery.raw(text, values);
      if (values.length > 0 || db.isTransaction) {
        return { rows: (await db.executeQuery(query)).rows as unknown[] };
      }
      // pg-boss migrates with one string of statements from BEGIN to COMMIT. When one fails
      // (another process creating the schema at the same moment, which pg-boss expects and
      // ignores), the session is left in the aborted transaction: end it before the
      // connection serves anything else.
      return db.connection().execute(async (connection) => {
        try {
          return { rows: (await connection.executeQuery(query)).rows as unknown[] };
        } catch (error) {
          await connection.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
          throw error;
        }
      });
    },
  };
}
