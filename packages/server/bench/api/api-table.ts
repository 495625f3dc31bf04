/** The comparison table, the aims beside the figures, and anything that went wrong. */
import { type Column, count, formatTable, percent, ratio } from '../report.js';
import { BATCH_ITEMS } from './batch-body.js';
import type { Measurement } from './measure.js';
import type { Scenario } from './scenarios.js';

export interface ScenarioResult {
  scenario: Scenario;
  /** Bytes of the real answer, which the bare server sends too. */
  responseBytes: number;
  real: Measurement;
  bare: Measurement;
}

export function apiTable(results: readonly ScenarioResult[]): string {
  const columns: Column[] = [
    { title: 'route', align: 'left' },
    { title: 'server', align: 'left' },
    { title: 'answer bytes', align: 'right' },
    { title: 'requests/s', align: 'right' },
    { title: 'activities/s', align: 'right' },
    { title: 'p50 ms', align: 'right' },
    { title: 'p99 ms', align: 'right' },
    { title: 'non-2xx', align: 'right' },
    { title: 'server thread busy', align: 'right' },
    { title: 'rps real ÷ bare', align: 'right' },
    { title: 'p99 real ÷ bare', align: 'right' },
  ];
  const body = results.flatMap(({ scenario, responseBytes, real, bare }) => {
    const row = (server: string, load: Measurement, ratios: string[]) => [
      server === 'real' ? scenario.name : '',
      server,
      count(responseBytes),
      count(load.requestsPerSecond),
      scenario.batch ? count(load.requestsPerSecond * BATCH_ITEMS) : '',
      milliseconds(load.p50Ms),
      milliseconds(load.p99Ms),
      count(load.non2xx),
      percent(load.serverBusy),
      ...ratios,
    ];
    return [
      row('real', real, [
        ratio(real.requestsPerSecond / bare.requestsPerSecond),
        ratio(real.p99Ms / bare.p99Ms),
      ]),
      row('bare', bare, ['', '']),
    ];
  });
  return formatTable(columns, body);
}

/** The aims, each beside what this run measured; stated, not asserted. */
export function aimLines(results: readonly ScenarioResult[]): string[] {
  const lines: string[] = [];
  for (const { scenario, real } of results) {
    if (scenario.route === '/leads') {
      lines.push(`aim: ${scenario.name} p99 under 30 ms — measured ${milliseconds(real.p99Ms)} ms`);
    }
    if (scenario.batch) {
      const activities = count(real.requestsPerSecond * BATCH_ITEMS);
      lines.push(`aim: batch ingestion over 20,000 activities/s — measured ${activities}/s`);
    }
  }
  return lines;
}

/** Non-2xx answers by status, connection errors, and batches that did not store every item. */
export function problemLines(results: readonly ScenarioResult[]): string[] {
  const lines: string[] = [];
  for (const { scenario, real, bare } of results) {
    for (const [server, load] of [
      ['real', real],
      ['bare', bare],
    ] as const) {
      const statuses = Object.entries(load.statusCodes)
        .filter(([status]) => Number(status) !== scenario.status)
        .map(([status, times]) => `${status} × ${count(times)}`);
      if (load.errors > 0) statuses.push(`connection errors or timeouts × ${count(load.errors)}`);
      if (load.incompleteBatches > 0) {
        statuses.push(
          `${scenario.status} without all ${BATCH_ITEMS} stored × ${count(load.incompleteBatches)}`,
        );
      }
      if (statuses.length > 0) lines.push(`${server} ${scenario.name}: ${statuses.join(', ')}`);
    }
  }
  return lines;
}

function milliseconds(value: number): string {
  return Number.isNaN(value) ? '—' : value.toFixed(2);
}
