import { describe, expect, it } from 'vitest';
import { createInProcessEventBus } from './event-bus.js';

const scoreUpdate = {
  leadId: 'lead-1',
  score: 72,
  previousScore: 40,
  modelId: null,
  breakdown: { behavioral: 30, demographic: 22, engagement: 20 },
  calculatedAt: '2026-11-30T00:00:00.000Z',
};

describe('in-process event bus', () => {
  it('delivers each event with its organisation to every subscriber until it unsubscribes', () => {
    const bus = createInProcessEventBus(() => undefined);
    const seen: string[] = [];
    const unsubscribe = bus.subscribe((organizationId, event) =>
      seen.push(`${organizationId}:${event}`),
    );
    bus.subscribe((organizationId, event) => seen.push(`second ${organizationId}:${event}`));
    bus.publish('org-a', 'lead_score_updated', scoreUpdate);
    unsubscribe();
    bus.publish('org-b', 'lead_score_updated', scoreUpdate);
    expect(seen).toEqual([
      'org-a:lead_score_updated',
      'second org-a:lead_score_updated',
      'second org-b:lead_score_updated',
    ]);
  });

  it('keeps delivering to the others when one listener throws, and reports the error', () => {
    const errors: unknown[] = [];
    const bus = createInProcessEventBus((error) => errors.push(error));
    const delivered: string[] = [];
    bus.subscribe(() => {
      throw new Error('webhook down');
    });
    bus.subscribe((organizationId) => delivered.push(organizationId));
    bus.publish('org-a', 'lead_score_updated', scoreUpdate);
    expect(delivered).toEqual(['org-a']);
    expect(errors).toEqual([new Error('webhook down')]);
  });
});
