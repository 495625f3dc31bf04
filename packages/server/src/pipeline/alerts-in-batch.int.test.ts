import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createAlertRecorder } from '../realtime/index.js';
import {
  createEmptyPostgresDatabase,
  describeEachEngine,
  type TestEngine,
} from '../test/databases.js';
import { createTestOrganization } from '../test/factories.js';
import { type RecordAlerts, scoreNextBatch } from './activity-scorer.js';
import {
  drain,
  type IsolatedDatabase,
  insertActivities,
  insertLead,
  openIsolatedDatabase,
} from './pipeline-test-support.js';
import { decayScores } from './score-decay.js';

const NOW = new Date(Date.UTC(2025, 5, 15, 12));
const DAY_MS = 86_400_000;

/**
 * Alerts are stored in the scorer's own transaction: kept exactly when the scores that fired
 * them are, whatever happens to the process around the commit.
 */
describeEachEngine('alerts recorded with the scores that fire them', (engine) => {
  let iso: IsolatedDatabase<TestEngine>;
  const db = () => iso.database.db;
  beforeAll(async () => {
    iso = await openIsolatedDatabase({
      engine,
      pgliteSnapshot: inject('pgliteSnapshot'),
      createEmptyPostgresDatabase,
    });
  });
  afterAll(() => iso?.close());

  /** An organisation with one rule that any first score of 1 or more crosses, and a lead. */
  async function setUp() {
    const { organizationId } = await createTestOrganization(db());
    const { id: ruleId } = await db()
      .insertInto('alert_rules')
      .values({ organization_id: organizationId, name: 'Any', kind: 'score_above', threshold: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const leadId = await insertLead(db(), organizationId);
    await insertActivities(db(), organizationId, leadId, [
      { type: 'demo_request', timestamp: NOW.getTime() - DAY_MS },
    ]);
    return { organizationId, ruleId, leadId };
  }

  const alertsOf = (leadId: string) =>
    db()
      .selectFrom('alerts')
      .select(['alert_rule_id', 'score'])
      .where('lead_id', '=', leadId)
      .execute();

  it('keeps the alert of a committed batch although nothing ran after the commit', async () => {
    const { ruleId, leadId } = await setUp();
    // No follow-up at all: as if the process died the moment the batch committed.
    const result = await scoreNextBatch(
      { db: db(), now: () => NOW, recordAlerts: createAlertRecorder() },
      { batchSize: 100 },
    );
    const stored = await alertsOf(leadId);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.alert_rule_id).toBe(ruleId);
    // The result carries it for `alert_triggered`, with the score the lead got.
    expect(result.alerts.map((a) => a.payload)).toEqual([
      expect.objectContaining({ alertRuleId: ruleId, leadId, score: stored[0]?.score }),
    ]);
  });

  it('stores no alert for a batch that rolls back, and one when the batch is retried', async () => {
    const { leadId } = await setUp();
    const recorder = createAlertRecorder();
    const failing: RecordAlerts = async (trx, scored, at) => {
      await recorder(trx, scored, at);
      throw new Error('the connection dropped before the commit');
    };
    await expect(
      scoreNextBatch({ db: db(), now: () => NOW, recordAlerts: failing }, { batchSize: 100 }),
    ).rejects.toThrow('the connection dropped');
    expect(await alertsOf(leadId)).toHaveLength(0);
    const lead = await db()
      .selectFrom('leads')
      .select('current_score')
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    expect(lead.current_score).toBeNull();

    await scoreNextBatch({ db: db(), now: () => NOW, recordAlerts: recorder }, { batchSize: 100 });
    expect(await alertsOf(leadId)).toHaveLength(1);
  });

  it('records the alert of a lead that cools below a line in the decay sweep', async () => {
    const { organizationId } = await createTestOrganization(db());
    const leadId = await insertLead(db(), organizationId);
    await insertActivities(db(), organizationId, leadId, [
      { type: 'pricing_view', timestamp: NOW.getTime() - DAY_MS },
      { type: 'demo_request', timestamp: NOW.getTime() - DAY_MS + 60_000 },
    ]);
    await drain(db(), { batchSize: 100, now: () => NOW });
    const { current_score: hot } = await db()
      .selectFrom('leads')
      .select('current_score')
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    const { id: ruleId } = await db()
      .insertInto('alert_rules')
      .values({
        organization_id: organizationId,
        name: 'Cooling',
        kind: 'score_below',
        threshold: hot ?? 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const later = new Date(NOW.getTime() + 60 * DAY_MS);
    await decayScores(
      { db: db(), now: () => later, recordAlerts: createAlertRecorder() },
      { quietMinutes: 15, maxLeads: 10_000, batchSize: 100 },
    );
    const { current_score: cooled } = await db()
      .selectFrom('leads')
      .select('current_score')
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    expect(cooled).toBeLessThan(hot ?? 0);
    expect(await alertsOf(leadId)).toEqual([{ alert_rule_id: ruleId, score: cooled }]);
  });
});
