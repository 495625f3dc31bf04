import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { openDatabase } from './connection.js';

const postgresUrl = inject('postgresUrl');

describe.skipIf(!postgresUrl)(
  `PostgreSQL connection loss${postgresUrl ? '' : ` (skipped: ${inject('postgresSkipReason')})`}`,
  () => {
    it('fails the query in flight, not the process, and serves the next one on a new connection', async () => {
      const database = await openDatabase({
        databaseUrl: postgresUrl ?? '',
        dataDir: '',
        poolMax: 2,
      });
      const admin = await openDatabase({ databaseUrl: postgresUrl ?? '', dataDir: '', poolMax: 1 });
      try {
        const lost = database.db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          // What a server restart or failover does to a checked-out connection.
          await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(admin.db);
          await sql`select 1`.execute(trx);
        });
        await expect(lost).rejects.toThrow();
        const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(database.db);
        expect(rows).toEqual([{ ok: 1 }]);
      } finally {
        await admin.close();
        await database.close();
      }
    });
  },
);
