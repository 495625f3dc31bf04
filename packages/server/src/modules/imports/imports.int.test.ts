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

describeEachEngine('imports', (engine) => {
  let t: ImportsTestApp;
  beforeAll(async () => {
    t = await buildImportsTestApp(engine);
  });
  afterAll(() => t?.close());

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  /** Uploads, checks the 202, runs the job; answers the import as GET /imports/{id} then does. */
  async function importCsv(
    org: { organizationId: string; token: string },
    kind: 'leads' | 'activities',
    csv: string,
    fields: Record<string, string> = {},
    batchSize?: number,
  ) {
    const response = await upload(t, org.token, kind, csv, fields);
    expect(response.statusCode, response.body).toBe(202);
    const created = response.json();
    expect(response.headers.location).toBe(`/imports/${created.id}`);
    expect(created).toMatchObject({ kind, status: 'queued', rowsCommitted: 0 });
    await runJob(t, org.organizationId, created.id, { batchSize });
    return getImport(t, org.token, created.id);
  }

  it('stores the good rows and reports exactly the bad ones, by row and column', async () => {
    const org = await organizationWith(t);
    const csv = [
      'Email,First Name,Company,Country,Employees,Stage,Extra,Plan',
      'ana@example.com,Ana,Acme,pt,120,new,"{""tier"":""gold""}",pro',
      'not-an-email,Bob,Bobco,US,5,new,,',
      'carl@example.com,Carl,Carlco,USA,5,new,,',
      'dina@example.com,Dina,Dinaco,DE,12.5,new,,',
      'eve@example.com,Eve,Eveco,FR,7,hot,,',
      'fay@example.com,Fay,Fayco,ES,9,new,{tier:gold},',
      ',Gus,Gusco,IT,3,new,,',
      '  Hal@Example.com ,Hal,"Hal, Inc.",gb,1000,qualified,,basic',
    ].join('\r\n');
    const mapping = {
      Email: 'email',
      'First Name': 'firstName',
      Company: 'company',
      Country: 'country',
      Employees: 'companySize',
      Stage: 'status',
      Extra: 'attributes',
      Plan: 'attributes.plan',
    };
    const done = await importCsv(org, 'leads', csv, { mapping: JSON.stringify(mapping) });

    expect(done).toMatchObject({
      status: 'succeeded',
      rowsCommitted: 8,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      failed: 6,
      error: null,
      mapping,
      onDuplicate: 'update',
      fileName: 'leads.csv',
      fileBytes: Buffer.byteLength(csv),
      bytesCommitted: Buffer.byteLength(csv),
    });
    expect(await importErrors(t, org.token, done.id)).toEqual([
      { row: 2, column: 'Email', field: 'email', reason: 'must match format "email"' },
      { row: 3, column: 'Country', field: 'country', reason: 'must match pattern "^[A-Za-z]{2}$"' },
      { row: 4, column: 'Employees', field: 'companySize', reason: 'must be integer' },
      {
        row: 5,
        column: 'Stage',
        field: 'status',
        reason: 'must be one of new, contacted, qualified, converted, lost',
      },
      { row: 6, column: 'Extra', field: 'attributes', reason: 'is not valid JSON' },
      { row: 7, column: 'Email', field: 'email', reason: 'is required' },
    ]);
    const leads = await leadsOf(t, org.organizationId);
    expect(leads).toEqual([
      expect.objectContaining({
        email: 'ana@example.com',
        first_name: 'Ana',
        company: 'Acme',
        country: 'PT',
        company_size: 120,
        status: 'new',
        custom_attributes: { tier: 'gold', plan: 'pro' },
      }),
      expect.objectContaining({
        email: 'hal@example.com',
        first_name: 'Hal',
        company: 'Hal, Inc.',
        country: 'GB',
        company_size: 1000,
        status: 'qualified',
        custom_attributes: { plan: 'basic' },
      }),
    ]);
    // The upload is gone once the import has ended; the job was queued with the import.
    const chunks = await t.database.db
      .selectFrom('import_chunks')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('import_id', '=', done.id)
      .executeTakeFirstOrThrow();
    expect(Number(chunks.n)).toBe(0);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('organization_id', '=', org.organizationId)
      .where('target_id', '=', done.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['import.created', 'leads.imported']);
    expect(audit[1]?.details).toMatchObject({ rows: [1, 8], inserted: 2, failed: 6 });
  });

  it.each([
    ['in one batch', 1000],
    ['across batches', 2],
  ])(
    'dedupes by email with onDuplicate=update %s: later rows update, blank cells keep',
    async (_, batchSize) => {
      const org = await organizationWith(t);
      const created = await t.app.inject({
        method: 'POST',
        url: '/leads',
        headers: auth(org.token),
        payload: { email: 'dup@example.com', firstName: 'Old', company: 'OldCo', source: 'web' },
      });
      expect(created.statusCode).toBe(201);
      const csv = [
        'email,firstName,company,source',
        'DUP@example.com,New,,',
        'new1@example.com,First,One,',
        'new1@example.com,,Two,ads',
        'dup@example.com,New,,',
      ].join('\n');
      const done = await importCsv(org, 'leads', csv, {}, batchSize);
      expect(done).toMatchObject({ inserted: 1, updated: 2, unchanged: 1, skipped: 0, failed: 0 });
      const leads = await leadsOf(t, org.organizationId);
      expect(leads.map((l) => [l.email, l.first_name, l.company, l.source])).toEqual([
        ['dup@example.com', 'New', 'OldCo', 'web'],
        ['new1@example.com', 'First', 'Two', 'ads'],
      ]);
    },
  );

  it('with onDuplicate=skip leaves a lead alone whose email is taken, in the file too', async () => {
    const org = await organizationWith(t);
    await t.app.inject({
      method: 'POST',
      url: '/leads',
      headers: auth(org.token),
      payload: { email: 'dup@example.com', firstName: 'Old', company: 'OldCo', source: 'web' },
    });
    const csv = [
      'email,firstName,company,source',
      'DUP@example.com,New,,',
      'new1@example.com,First,One,',
      'new1@example.com,,Two,ads',
      'dup@example.com,New,,',
    ].join('\n');
    const done = await importCsv(org, 'leads', csv, { onDuplicate: 'skip' });
    expect(done).toMatchObject({ inserted: 1, updated: 0, unchanged: 0, skipped: 3, failed: 0 });
    const leads = await leadsOf(t, org.organizationId);
    expect(leads.map((l) => [l.email, l.first_name, l.company, l.source])).toEqual([
      ['dup@example.com', 'Old', 'OldCo', 'web'],
      ['new1@example.com', 'First', 'One', null],
    ]);
  });

  it('refuses an owner who is not an active user of the organisation, as POST /leads does', async () => {
    const org = await organizationWith(t);
    const other = await organizationWith(t);
    const ownerHere = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('organization_id', '=', org.organizationId)
      .executeTakeFirstOrThrow();
    const ownerThere = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('organization_id', '=', other.organizationId)
      .executeTakeFirstOrThrow();
    const csv = `email,owner\na@example.com,${ownerHere.id}\nb@example.com,${ownerThere.id}\n`;
    const done = await importCsv(org, 'leads', csv, {
      mapping: JSON.stringify({ email: 'email', owner: 'ownerId' }),
    });
    expect(done).toMatchObject({ inserted: 1, failed: 1 });
    expect(await importErrors(t, org.token, done.id)).toEqual([
      {
        row: 2,
        column: 'owner',
        field: 'ownerId',
        reason: 'is not an active user of this organisation',
      },
    ]);
  });

  it('attaches activities to leads by email and reports the rows it cannot', async () => {
    const org = await organizationWith(t);
    const ids = new Map<string, string>();
    for (const email of ['a@example.com', 'b@example.com']) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/leads',
        headers: auth(org.token),
        payload: { email },
      });
      ids.set(email, created.json().id);
    }
    const csv = [
      'Lead,Type,When,Data,Key',
      'A@Example.com,pricing_view,2026-01-05T10:00:00Z,"{""plan"":""pro""}",k1',
      'b@example.com,email_open,2026-01-06T10:00:00+02:00,,k2',
      'nobody@example.com,email_open,2026-01-07T10:00:00Z,,k3',
      'a@example.com,not_a_type,2026-01-07T10:00:00Z,,k4',
      'a@example.com,email_open,2026-01-08T10:00:00Z,,k1',
      'a@example.com,email_open,yesterday,,',
      'a@example.com,pricing_view,2026-01-09T10:00:00Z,"{""plan"": 5}",',
    ].join('\n');
    const done = await importCsv(org, 'activities', csv, {
      mapping: JSON.stringify({
        Lead: 'leadEmail',
        Type: 'type',
        When: 'timestamp',
        Data: 'data',
        Key: 'idempotencyKey',
      }),
    });
    expect(done).toMatchObject({
      status: 'succeeded',
      onDuplicate: null,
      inserted: 2,
      skipped: 1,
      failed: 4,
    });
    const errors = (await importErrors(t, org.token, done.id)) as {
      row: number;
      column: string;
      field: string;
    }[];
    expect(errors.map((e) => [e.row, e.column, e.field])).toEqual([
      [3, 'Lead', 'leadEmail'],
      [4, 'Type', 'type'],
      [6, 'When', 'timestamp'],
      [7, 'Data', 'data.plan'],
    ]);
    const activities = await t.database.db
      .selectFrom('lead_activities')
      .select([
        'lead_id',
        'activity_type',
        'activity_data',
        'timestamp',
        'idempotency_key',
        'processed',
      ])
      .where('organization_id', '=', org.organizationId)
      .orderBy('timestamp')
      .execute();
    expect(activities).toEqual([
      {
        lead_id: ids.get('a@example.com'),
        activity_type: 'pricing_view',
        activity_data: { plan: 'pro' },
        timestamp: new Date('2026-01-05T10:00:00Z'),
        idempotency_key: 'k1',
        processed: false,
      },
      {
        lead_id: ids.get('b@example.com'),
        activity_type: 'email_open',
        activity_data: {},
        timestamp: new Date('2026-01-06T08:00:00Z'),
        idempotency_key: 'k2',
        processed: false,
      },
    ]);
  });

  it('lists imports newest first and keeps each organisation’s to itself (404 across)', async () => {
    const ours = await organizationWith(t);
    const theirs = await organizationWith(t);
    const first = await importCsv(ours, 'leads', 'email\nx@example.com\n,\n');
    const second = await importCsv(ours, 'leads', 'email\ny@example.com\n');
    const listed = await t.app.inject({ url: '/imports?limit=1', headers: auth(ours.token) });
    expect(listed.json().data.map((i: { id: string }) => i.id)).toEqual([second.id]);
    const next = await t.app.inject({
      url: `/imports?limit=1&cursor=${listed.json().nextCursor}`,
      headers: auth(ours.token),
    });
    expect(next.json()).toEqual({
      data: [expect.objectContaining({ id: first.id })],
      nextCursor: null,
    });
    const filtered = await t.app.inject({
      url: '/imports?kind=activities',
      headers: auth(ours.token),
    });
    expect(filtered.json().data).toEqual([]);

    for (const url of [`/imports/${first.id}`, `/imports/${first.id}/errors`]) {
      const response = await t.app.inject({ url, headers: auth(theirs.token) });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().code).toBe('IMPORTS_NOT_FOUND');
    }
    const theirList = await t.app.inject({ url: '/imports', headers: auth(theirs.token) });
    expect(theirList.json().data).toEqual([]);
  });
});
