import { createRng } from '@leadscore/engine';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LEAD_STATUSES } from '../../db/schema.js';
import { describeEachEngine } from '../../test/databases.js';
import {
  buildImportsTestApp,
  type ImportsTestApp,
  leadsOf,
  organizationWith,
  runJob,
  upload,
} from '../../test/imports-app.js';

const LEADS = 2000;

/**
 * The CSV of GET /exports/leads imports as it is: every editable field of every lead comes back
 * the same in another organisation. (Owners are users of one organisation, so the leads have
 * none here; an empty string would come back as null, as an empty cell means no value.)
 */
describeEachEngine('export → import round trip', (engine) => {
  let t: ImportsTestApp;
  beforeAll(async () => {
    t = await buildImportsTestApp(engine);
  });
  afterAll(() => t?.close());

  /** Leads with every editable field varied: text that needs quoting, JSON, nulls. */
  function generateLeads(organizationId: string) {
    const rng = createRng(7);
    const maybe = <T>(value: T) => (rng.bernoulli(0.2) ? null : value);
    const awkward = [
      'Ünïcødé GmbH',
      'Comma, Inc.',
      'Say "hi" Ltd',
      'Line\nBreak plc',
      ' spaced ',
      '=SUM(A1)',
    ];
    return Array.from({ length: LEADS }, (_, i) => ({
      organization_id: organizationId,
      email: `lead-${i}@round-trip.example`,
      first_name: maybe(`First${i}`),
      last_name: maybe(rng.pick(['Smith', 'Ó Briain', 'Müller', 'de la Cruz'])),
      company: maybe(rng.pick(awkward)),
      job_title: maybe(rng.pick(['CTO', 'VP, Sales', 'Engineer'])),
      phone: maybe(`+1 555 ${String(i).padStart(4, '0')}`),
      website: maybe(`https://lead-${i}.example`),
      source: maybe(rng.pick(['ads', 'organic', 'referral'])),
      status: rng.pick([...LEAD_STATUSES]),
      country: maybe(rng.pick(['US', 'DE', 'PT', 'JP'])),
      industry: maybe(rng.pick(['SaaS', 'Retail'])),
      company_size: maybe(rng.int(0, 100_000)),
      custom_attributes: JSON.stringify(
        rng.bernoulli(0.3)
          ? {}
          : {
              plan: rng.pick(['free', 'pro', 'enterprise']),
              seats: rng.int(1, 500),
              ratio: Math.round(rng.next() * 1000) / 1000,
              trial: rng.bernoulli(0.5),
              tags: ['a', 'b,c', 'd "e"'],
              nested: { note: 'x\ny', empty: null },
            },
      ),
    }));
  }

  it(`exports ${LEADS} leads from one organisation and imports them unchanged into another`, async () => {
    const source = await organizationWith(t);
    const target = await organizationWith(t);
    const leads = generateLeads(source.organizationId);
    for (let i = 0; i < leads.length; i += 500) {
      await t.database.db
        .insertInto('leads')
        .values(leads.slice(i, i + 500))
        .execute();
    }

    const exported = await t.app.inject({
      url: '/exports/leads?format=csv',
      headers: { authorization: `Bearer ${source.token}` },
    });
    expect(exported.statusCode, exported.body).toBe(200);

    const response = await upload(t, target.token, 'leads', exported.body);
    expect(response.statusCode, response.body).toBe(202);
    const id = response.json().id;
    await runJob(t, target.organizationId, id);
    const done = await t.app.inject({
      url: `/imports/${id}`,
      headers: { authorization: `Bearer ${target.token}` },
    });
    expect(done.json()).toMatchObject({
      status: 'succeeded',
      rowsCommitted: LEADS,
      inserted: LEADS,
      failed: 0,
    });
    const imported = await leadsOf(t, target.organizationId);
    expect(imported).toHaveLength(LEADS);
    expect(imported).toEqual(await leadsOf(t, source.organizationId));

    // The same file again finds every lead as it is.
    const again = await upload(t, target.token, 'leads', exported.body);
    await runJob(t, target.organizationId, again.json().id);
    const second = await t.app.inject({
      url: `/imports/${again.json().id}`,
      headers: { authorization: `Bearer ${target.token}` },
    });
    expect(second.json()).toMatchObject({ unchanged: LEADS, inserted: 0, updated: 0 });
  });
});
