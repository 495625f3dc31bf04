// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore } from '../store';
import { ConversionByBandCard } from './ConversionCards';
import { ScoreDistributionCard } from './ScoreDistributionCard';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Each report path answers with its own responses in turn (the last one repeats). */
function answer(routes: Record<string, (() => Response)[]>) {
  const calls: Record<string, number> = {};
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      const path = new URL(request.url).pathname;
      calls[path] = (calls[path] ?? 0) + 1;
      const responses = routes[path] ?? [() => json(404, { detail: 'no such report' })];
      return (responses[Math.min(calls[path], responses.length) - 1] as () => Response)();
    }),
  );
}

function renderCards() {
  render(
    <Provider store={createStore(null)}>
      <ScoreDistributionCard filters={{}} />
      <ConversionByBandCard filters={{}} />
    </Provider>,
  );
}

const noOutcome = { converted: 0, lost: 0, decided: 0, rate: null, interval: null };

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the analytics report cards', () => {
  it('fail one at a time, with the server’s reason and a Retry that reads again', async () => {
    answer({
      '/analytics/score-distribution': [
        () => json(503, { title: 'Service Unavailable', detail: 'The database is not reachable' }),
        () =>
          json(200, {
            asOf: null,
            modelId: null,
            total: 0,
            scored: 0,
            unscored: 0,
            bands: [],
            grades: [],
            ungraded: 0,
          }),
      ],
      '/analytics/conversion-rates': [
        () =>
          json(200, {
            confidence: 0.95,
            overall: { ...noOutcome, open: 3 },
            byScoreBand: [],
            bySource: [],
            sourcesOmitted: 0,
            byCohort: [],
          }),
      ],
    });
    renderCards();
    const distribution = screen.getByRole('region', { name: 'Score distribution' });
    const conversion = screen.getByRole('region', { name: 'Conversion by score band' });
    const alert = await within(distribution).findByRole('alert');
    expect(alert.textContent).toContain('The database is not reachable');
    expect(
      await within(conversion).findByText(
        'No lead matching these filters has been converted or lost yet.',
      ),
    ).toBeTruthy();

    within(alert).getByRole('button', { name: 'Retry' }).click();
    expect(await within(distribution).findByText('No leads match these filters.')).toBeTruthy();
    expect(within(distribution).queryByRole('alert')).toBeNull();
  });
});
