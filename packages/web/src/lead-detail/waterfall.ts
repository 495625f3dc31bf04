/** One step of a waterfall: a named amount added to the running total (negative lowers it). */
export interface WaterfallStep {
  label: string;
  amount: number;
}

/**
 * One floating bar: it spans `[from, to]` on the value axis. `start` and `total` stand on the
 * axis; a step floats from the running total before it to the one after it.
 */
export interface WaterfallBar {
  label: string;
  from: number;
  to: number;
  kind: 'start' | 'rise' | 'fall' | 'total';
}

/**
 * The bars of a waterfall chart: the starting value, each step floating from the running total
 * before it to the one after it, and the total the steps reach.
 *
 * @example
 * waterfallBars({ label: 'Start', amount: 10 }, [{ label: 'A', amount: 5 }], 'Score');
 * // [{ label: 'Start', from: 0, to: 10, kind: 'start' },
 * //  { label: 'A', from: 10, to: 15, kind: 'rise' },
 * //  { label: 'Score', from: 0, to: 15, kind: 'total' }]
 */
export function waterfallBars(
  start: WaterfallStep,
  steps: readonly WaterfallStep[],
  totalLabel: string,
): WaterfallBar[] {
  const bars: WaterfallBar[] = [{ label: start.label, from: 0, to: start.amount, kind: 'start' }];
  let running = start.amount;
  for (const step of steps) {
    const next = running + step.amount;
    bars.push({
      label: step.label,
      from: running,
      to: next,
      kind: next < running ? 'fall' : 'rise',
    });
    running = next;
  }
  bars.push({ label: totalLabel, from: 0, to: running, kind: 'total' });
  return bars;
}
