/**
 * Numeric features cut into a few ranges, so that a points table can say "TotalVisits from 3
 * to 5: +12 points". Edges are quantiles of the training values, so each range holds a
 * similar share of leads; categorical features keep their categories.
 */
import type { CategoricalFeature, Feature, FeatureMatrix } from '../matrix.js';

/** How one feature becomes a categorical feature: its range edges, or none when categorical. */
export interface FeatureBins {
  readonly feature: string;
  /** Ascending cut points; value < edges[0] is range 0, edges[k-1] ≤ value < edges[k] is range k. */
  readonly edges: readonly number[] | null;
  /** Each range in words ("from 3 to below 5", "is 1"), one more than the edges. */
  readonly labels: readonly string[] | null;
}

/**
 * Quantile edges splitting the non-missing training values into at most `ranges` ranges; a
 * feature with that few distinct values (a flag, a small count) gets one range per value.
 */
export function fitBins(matrix: FeatureMatrix, ranges: number): FeatureBins[] {
  return matrix.features.map((feature, j) => {
    if (feature.kind === 'categorical') return { feature: feature.name, edges: null, labels: null };
    const values = Float64Array.from(
      (matrix.columns[j] as Float64Array).filter((v) => !Number.isNaN(v)),
    ).sort();
    const distinct = [...new Set(values)];
    if (distinct.length <= ranges) {
      const labels = distinct.map((value) => `is ${format(value)}`);
      return { feature: feature.name, edges: distinct.slice(1), labels };
    }
    const edges = new Set<number>();
    for (let q = 1; q < ranges; q++) {
      const edge = values[Math.floor((q * values.length) / ranges)];
      // An edge equal to the smallest value would leave range 0 empty.
      if (edge !== undefined && edge > (values[0] as number)) edges.add(edge);
    }
    return { feature: feature.name, edges: [...edges], labels: rangeLabels([...edges]) };
  });
}

/** The categorical features the bins produce, with each range worded as its label. */
export function binnedFeatures(
  features: readonly Feature[],
  bins: readonly FeatureBins[],
): Feature[] {
  return features.map((feature, j): CategoricalFeature => {
    const labels = bins[j]?.labels;
    if (feature.kind === 'categorical' || !labels) return feature as CategoricalFeature;
    return {
      name: feature.name,
      kind: 'categorical',
      categories: labels,
      ...(feature.group && { group: feature.group }),
    };
  });
}

/** The matrix with numeric values replaced by their range codes (missing stays missing). */
export function applyBins(
  matrix: FeatureMatrix,
  bins: readonly FeatureBins[],
  features: readonly Feature[],
): FeatureMatrix {
  const columns = matrix.columns.map((column, j) => {
    const edges = bins[j]?.edges;
    return edges ? column.map((value) => rangeOf(value, edges)) : column;
  });
  return { rows: matrix.rows, features, columns };
}

function rangeOf(value: number, edges: readonly number[]): number {
  if (Number.isNaN(value)) return Number.NaN;
  let range = 0;
  while (range < edges.length && value >= (edges[range] as number)) range++;
  return range;
}

function rangeLabels(edges: readonly number[]): string[] {
  if (edges.length === 0) return ['any value'];
  const labels = [`below ${format(edges[0] as number)}`];
  for (let k = 1; k < edges.length; k++) {
    labels.push(`from ${format(edges[k - 1] as number)} to below ${format(edges[k] as number)}`);
  }
  labels.push(`${format(edges.at(-1) as number)} or more`);
  return labels;
}

function format(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
