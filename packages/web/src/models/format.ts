/** How the model pages print numbers and dates. */

/** A metric to three decimals (ROC AUC 0.853); a dash when it is undefined on the data. */
export function formatMetric(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}

/** A share as a percentage (0.125 → "12.5 %"); a dash when undefined. */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(digits)} %`;
}

export function formatCount(value: number): string {
  return value.toLocaleString();
}

export function formatDate(iso: string | null): string {
  return iso
    ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
    : '—';
}

export function formatDay(iso: string | null): string {
  return iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }) : '—';
}

/** "0.853 ± 0.012". */
export function formatMeanAndStd({ mean, std }: { mean: number; std: number }): string {
  return `${mean.toFixed(3)} ± ${std.toFixed(3)}`;
}
