import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFeatureMatrix } from '../matrix.js';
import { createRng } from '../random.js';
import {
  type BinnedRows,
  binMatrix,
  fitBinMapper,
  MISSING_BIN,
  sampleSorted,
} from './bin-mapper.js';

const allRows = (count: number) => Uint32Array.from({ length: count }, (_, row) => row);
/** The bin codes of feature 0, one per row. */
const firstFeatureBins = ({ bins, stride }: BinnedRows) =>
  Array.from({ length: bins.length / stride }, (_, row) => bins[row * stride] as number);
const numericMatrix = (...columns: Float64Array[]) =>
  createFeatureMatrix(
    columns.map((_, j) => ({ name: `x${j}`, kind: 'numeric' as const })),
    columns,
  );

describe('fitBinMapper', () => {
  it('puts edges midway between distinct values when there are few of them', () => {
    const matrix = numericMatrix(Float64Array.of(3, 1, 2, 2, Number.NaN, 1));
    const mapper = fitBinMapper(matrix, allRows(6), 255, createRng(1));
    expect(Array.from(mapper.edges[0] ?? [])).toEqual([1.5, 2.5]);
    expect(mapper.binCounts[0]).toBe(3);
  });

  it('uses maxBins quantile bins of roughly equal size when values are many', () => {
    const rows = 10_000;
    const matrix = numericMatrix(Float64Array.from({ length: rows }, (_, i) => (i * 7919) % rows));
    const mapper = fitBinMapper(matrix, allRows(rows), 16, createRng(1));
    expect(mapper.binCounts[0]).toBe(16);
    const counts = new Array<number>(16).fill(0);
    for (const bin of firstFeatureBins(binMatrix(matrix, mapper)))
      counts[bin] = (counts[bin] as number) + 1;
    for (const count of counts) expect(Math.abs(count - rows / 16)).toBeLessThanOrEqual(1);
  });

  it('keeps edges finite even next to infinite values', () => {
    const matrix = numericMatrix(
      Float64Array.of(Number.NEGATIVE_INFINITY, 0, Number.POSITIVE_INFINITY),
    );
    const edges = fitBinMapper(matrix, allRows(3), 255, createRng(1)).edges[0] ?? [];
    expect(Array.from(edges).every(Number.isFinite)).toBe(true);
    expect(
      firstFeatureBins(binMatrix(matrix, fitBinMapper(matrix, allRows(3), 255, createRng(1)))),
    ).toEqual([0, 1, 2]);
  });

  it('uses category codes as bins and NaN as the missing bin', () => {
    const matrix = createFeatureMatrix(
      [{ name: 'plan', kind: 'categorical', categories: ['a', 'b', 'c'] }],
      [Float64Array.of(2, Number.NaN, 0)],
    );
    const mapper = fitBinMapper(matrix, allRows(3), 255, createRng(1));
    expect(mapper.edges[0]).toBeNull();
    expect(mapper.binCounts[0]).toBe(3);
    expect(firstFeatureBins(binMatrix(matrix, mapper))).toEqual([2, MISSING_BIN, 0]);
  });
});

describe('binMatrix', () => {
  it('agrees with raw thresholds: bin <= b exactly when value <= edges[b]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -3, max: 3 })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.integer({ min: 2, max: 255 }),
        (values, maxBins) => {
          const matrix = numericMatrix(Float64Array.from(values));
          const mapper = fitBinMapper(matrix, allRows(values.length), maxBins, createRng(2));
          const edges = mapper.edges[0] ?? new Float64Array(0);
          const bins = firstFeatureBins(binMatrix(matrix, mapper));
          values.forEach((value, row) => {
            const bin = bins[row] as number;
            expect(bin).toBeLessThan(mapper.binCounts[0] as number);
            edges.forEach((edge, b) => {
              expect(bin <= b).toBe(value <= edge);
            });
          });
        },
      ),
      { numRuns: 100, seed: 3 },
    );
  });

  it('lays bins out row-major, each row padded to a multiple of 16 bytes', () => {
    const matrix = numericMatrix(Float64Array.of(0, 1), Float64Array.of(1, 0));
    const binned = binMatrix(matrix, fitBinMapper(matrix, allRows(2), 255, createRng(1)));
    expect(binned.stride).toBe(16);
    expect(Array.from(binned.bins.subarray(0, 2))).toEqual([0, 1]);
    expect(Array.from(binned.bins.subarray(16, 18))).toEqual([1, 0]);
  });
});

describe('sampleSorted', () => {
  it('draws the requested number of distinct rows in ascending order', () => {
    const sample = sampleSorted(allRows(1_000), 100, createRng(5));
    expect(sample).toHaveLength(100);
    expect(new Set(sample).size).toBe(100);
    expect(Array.from(sample)).toEqual(Array.from(sample).sort((a, b) => a - b));
  });
});
