import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/databases.js';
import {
  buildImportsTestApp,
  getImport,
  type ImportsTestApp,
  importErrors,
  leadsOf,
  organizationWith,
  runJob,
  upload,
} from '../../test/imports-app.js';

/**
 * An import that dies midway: each batch is a transaction with its progress, so a re-run goes
 * on after the last committed batch and every good row ends up written exactly once.
 */
describeEachEngine('imports that fail midway', (engine) => {
  let t: ImportsTestApp;
  beforeAll(async () => {
    t = await buildImportsTestApp(engine);
  });
  afterAll(() => t?.close());

  async function queued(org: { organizationId: string; token: string }, csv: string) {
    const response = await upload(t, org.token, 'leads', csv);
    expect(response.statusCode, response.body).toBe(202);
    return response.json().id as string;
  }

  const countByEmail = async (organizationId: string) =>
    (await leadsOf(t, organizationId)).map((lead) => lead.email);

  it('resumes after the last committed batch when the job dies between batches', async () => {
    const org = await organizationWith(t);
    const csv = [
      'email,company',
      'a@example.com,A',
      'b@example.com,B',
      'not-an-email,X',
      'c@example.com,C',
      'd@example.com,D',
      'e@example.com,E',
      'f@example.com,F',
      'a@example.com,A2',
      'g@example.com,G',
    ].join('\n');
    const id = await queued(org, csv);

    let batches = 0;
    const crash = () => {
      batches += 1;
      if (batches === 2) throw new Error('the worker was killed');
    };
    await expect(
      runJob(t, org.organizationId, id, { batchSize: 2, afterBatch: crash }),
    ).rejects.toThrow('the worker was killed');
    expect(await getImport(t, org.token, id)).toMatchObject({
      status: 'running',
      rowsCommitted: 4,
      inserted: 3,
      failed: 1,
    });
    expect(await countByEmail(org.organizationId)).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com',
    ]);

    // The queue's retry.
    await runJob(t, org.organizationId, id, { batchSize: 2, retryCount: 1 });
    expect(await getImport(t, org.token, id)).toMatchObject({
      status: 'succeeded',
      rowsCommitted: 9,
      inserted: 7,
      updated: 1,
      unchanged: 0,
      skipped: 0,
      failed: 1,
    });
    const leads = await leadsOf(t, org.organizationId);
    expect(leads.map((lead) => [lead.email, lead.company])).toEqual([
      ['a@example.com', 'A2'],
      ['b@example.com', 'B'],
      ['c@example.com', 'C'],
      ['d@example.com', 'D'],
      ['e@example.com', 'E'],
      ['f@example.com', 'F'],
      ['g@example.com', 'G'],
    ]);
    expect(await importErrors(t, org.token, id)).toEqual([
      { row: 3, column: 'email', field: 'email', reason: 'must match format "email"' },
    ]);

    // A run after the end (a duplicate delivery of the job) changes nothing.
    await runJob(t, org.organizationId, id, { batchSize: 2, retryCount: 2 });
    expect(await leadsOf(t, org.organizationId)).toEqual(leads);
  });

  /** Makes the database refuse one email of the organisation, as a failing dependency would. */
  async function refuse(organizationId: string, email: string) {
    const name = `refuse_${organizationId.replace(/-/g, '')}`;
    await sql
      .raw(
        `create function ${name}() returns trigger language plpgsql as $$
        begin
          if new.organization_id = '${organizationId}' and new.email = '${email}' then
            raise exception 'the database is gone';
          end if;
          return new;
        end $$;
        create trigger ${name} before insert on leads for each row execute function ${name}();`,
      )
      .execute(t.database.db);
    return () =>
      sql.raw(`drop trigger ${name} on leads; drop function ${name}();`).execute(t.database.db);
  }

  it('loses none of a failed batch’s rows half-way, and a re-run writes them once', async () => {
    const org = await organizationWith(t);
    const csv =
      'email\na@example.com\nb@example.com\nc@example.com\nboom@example.com\nd@example.com\n';
    const id = await queued(org, csv);
    const allow = await refuse(org.organizationId, 'boom@example.com');
    try {
      await expect(runJob(t, org.organizationId, id, { batchSize: 2 })).rejects.toThrow(
        'the database is gone',
      );
    } finally {
      await allow();
    }
    // The second batch (c, boom) rolled back whole: c is not there.
    expect(await getImport(t, org.token, id)).toMatchObject({
      status: 'running',
      rowsCommitted: 2,
    });
    expect(await countByEmail(org.organizationId)).toEqual(['a@example.com', 'b@example.com']);

    await runJob(t, org.organizationId, id, { batchSize: 2, retryCount: 1 });
    expect(await getImport(t, org.token, id)).toMatchObject({
      status: 'succeeded',
      rowsCommitted: 5,
      inserted: 5,
    });
    expect(await countByEmail(org.organizationId)).toEqual([
      'a@example.com',
      'b@example.com',
      'boom@example.com',
      'c@example.com',
      'd@example.com',
    ]);
  });

  it('fails the import on its last retry, saying which rows were imported', async () => {
    const org = await organizationWith(t);
    const id = await queued(org, 'email\na@example.com\nb@example.com\nboom@example.com\n');
    const allow = await refuse(org.organizationId, 'boom@example.com');
    try {
      await expect(
        runJob(t, org.organizationId, id, { batchSize: 2, retryCount: 5 }),
      ).rejects.toThrow('the database is gone');
    } finally {
      await allow();
    }
    const failed = await getImport(t, org.token, id);
    expect(failed).toMatchObject({ status: 'failed', rowsCommitted: 2, inserted: 2 });
    expect(failed.error).toMatch(/^The import failed unexpectedly: .*the database is gone/);
    expect(failed.error).toMatch(/Rows 1 to 2 were imported/);
    expect(failed.finishedAt).not.toBeNull();
  });

  it('fails an import whose file turns out malformed, keeping the rows before the fault', async () => {
    const org = await organizationWith(t);
    const csv =
      'email,company\na@example.com,A\nb@example.com,B\nc@example.com,"C"x\nd@example.com,D\n';
    const id = await queued(org, csv);
    await runJob(t, org.organizationId, id, { batchSize: 1 });
    const failed = await getImport(t, org.token, id);
    expect(failed).toMatchObject({ status: 'failed', rowsCommitted: 2, inserted: 2 });
    expect(failed.error).toMatch(/^The file is not valid CSV: Invalid Closing Quote: .* at line 4/);
    expect(failed.error).toMatch(/Rows 1 to 2 were imported/);
    expect(await countByEmail(org.organizationId)).toEqual(['a@example.com', 'b@example.com']);
    const chunks = await t.database.db
      .selectFrom('import_chunks')
      .select('seq')
      .where('import_id', '=', id)
      .execute();
    expect(chunks).toEqual([]);
  });
});
