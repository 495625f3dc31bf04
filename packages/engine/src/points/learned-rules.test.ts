import { describe, expect, it } from 'vitest';
import { rocAuc } from '../evaluation/index.js';
import { createFeatureMatrix, type FeatureMatrix } from '../matrix.js';
import { createRng } from '../random.js';
import { fitBins } from './binning.js';
import { LearnedRulesFormatError, learnedRulesFromJSON } from './learned-rules-model.js';
import { trainLearnedRules } from './train.js';

/** Conversion rises with visits and is much likelier from referrals; some visits missing. */
function leads(rows: number, seed: number): { matrix: FeatureMatrix; labels: Uint8Array } {
  const rng = createRng(seed);
  const visits = new Float64Array(rows);
  const source = new Float64Array(rows);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    visits[i] = rng.bernoulli(0.05) ? Number.NaN : rng.poisson(4);
    source[i] = rng.int(0, 3);
    const logOdds =
      -2 +
      0.4 * (Number.isNaN(visits[i] as number) ? 4 : (visits[i] as number)) +
      (source[i] === 2 ? 1.5 : 0);
    labels[i] = rng.bernoulli(1 / (1 + Math.exp(-logOdds))) ? 1 : 0;
  }
  const matrix = createFeatureMatrix(
    [
      { name: 'visits', kind: 'numeric', group: 'behavioural' },
      { name: 'source', kind: 'categorical', categories: ['ads', 'organic', 'referral'] },
    ],
    [visits, source],
  );
  return { matrix, labels };
}

describe('learned points table', () => {
  const { matrix, labels } = leads(4000, 1);
  const model = trainLearnedRules(matrix, labels);

  it('cuts numeric features at quantiles, leaving missing values out of the edges', () => {
    const [visits, source] = fitBins(matrix, 4);
    expect(source?.edges).toBeNull();
    const values = Array.from(matrix.columns[0] as Float64Array).filter((v) => !Number.isNaN(v));
    const edges = visits?.edges ?? [];
    expect(edges.length).toBeGreaterThanOrEqual(2);
    edges.forEach((edge, k) => {
      // Edge k is the ((k + 1) / 4) quantile: no more than that share lies below it.
      const below = values.filter((v) => v < edge).length / values.length;
      expect(below).toBeLessThanOrEqual((k + 1) / 4);
      expect(below + values.filter((v) => v === edge).length / values.length).toBeGreaterThan(
        (k + 1) / 4,
      );
      if (k > 0) expect(edge).toBeGreaterThan(edges[k - 1] as number);
    });
  });

  it('gives the most points to what converts most, and more points to more visits', () => {
    const rules = model.rules();
    const sources = rules.filter((r) => r.feature === 'source');
    expect(sources[0]).toMatchObject({ condition: 'is referral' });
    expect(sources[0]?.points).toBeGreaterThan(20);
    const visits = rules.filter((r) => r.feature === 'visits' && r.condition !== 'is not given');
    const most = visits.find((r) => r.condition.endsWith('or more'));
    const fewest = visits.find((r) => r.condition.startsWith('below'));
    expect(most?.points).toBeGreaterThan((fewest?.points ?? 0) + 20);
  });

  it('ranks new leads well and explains every prediction exactly', () => {
    const fresh = leads(1000, 2);
    const logOdds = model.predictLogOdds(fresh.matrix);
    // The generating model's own log-odds set the ceiling on how well anything can rank.
    const truth = Float64Array.from({ length: fresh.matrix.rows }, (_, i) => {
      const visits = fresh.matrix.columns[0]?.[i] as number;
      return (
        0.4 * (Number.isNaN(visits) ? 4 : visits) + (fresh.matrix.columns[1]?.[i] === 2 ? 1.5 : 0)
      );
    });
    expect(rocAuc(fresh.labels, logOdds)).toBeGreaterThan(rocAuc(fresh.labels, truth) - 0.02);
    for (const row of [0, 1, 2, 500, 999]) {
      const { baseValue, contributions } = model.explain(fresh.matrix, row);
      const sum = contributions.reduce((total, c) => total + c, baseValue);
      expect(sum).toBeCloseTo(logOdds[row] as number, 9);
    }
  });

  it('round-trips through JSON with identical predictions, and refuses other versions', () => {
    const restored = learnedRulesFromJSON(JSON.parse(JSON.stringify(model)));
    expect(restored.predictLogOdds(matrix)).toEqual(model.predictLogOdds(matrix));
    expect(restored.rules()).toEqual(model.rules());
    const future = { ...JSON.parse(JSON.stringify(model)), formatVersion: 2 };
    expect(() => learnedRulesFromJSON(future)).toThrow(LearnedRulesFormatError);
    expect(() => learnedRulesFromJSON(future)).toThrow(/version 2 is not supported/);
  });
});
