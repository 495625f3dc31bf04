import { describe, expect, it } from 'vitest';
import { createFeatureMatrix, type FeatureMatrix, type Labels } from '../matrix.js';
import { sigmoid } from '../model.js';
import { crossValidate } from './cross-validate.js';
import { stratifiedKFold } from './folds.js';
import { brierScore, logLoss } from './probability-metrics.js';
import { prAuc, rocAuc } from './ranking-metrics.js';

// 40 rows: a noisy signal column and its labels. Row i's "signal" rises with i, and labels are
// mostly 1 for high signals, with a few exceptions so that every fold's AUC is below 1.
const ROWS = 40;
const SIGNAL = Float64Array.from({ length: ROWS }, (_, i) => (i - 20) / 5);
const LABELS = Uint8Array.from({ length: ROWS }, (_, i) => (i >= 24 || i % 7 === 3 ? 1 : 0));
const MATRIX = createFeatureMatrix([{ name: 'signal', kind: 'numeric' }], [SIGNAL]);

/** A "model" that ignores training and reads the probability off the signal column. */
function signalModel(_train: FeatureMatrix, _trainLabels: Labels, test: FeatureMatrix) {
  return Float64Array.from(test.columns[0] ?? [], sigmoid);
}

describe('crossValidate', () => {
  it('scores each held-out fold with the model fitted on the rest', () => {
    const seen: { trainRows: number[]; trainLabels: number[] }[] = [];
    const result = crossValidate(MATRIX, LABELS, { folds: 4, seed: 5 }, (train, y, test) => {
      seen.push({ trainRows: [...(train.columns[0] ?? [])], trainLabels: [...y] });
      return signalModel(train, y, test);
    });
    const folds = stratifiedKFold(LABELS, 4, 5);
    expect(result.folds).toHaveLength(4);
    folds.forEach(({ train, test }, k) => {
      // The model saw exactly the training rows, with their labels.
      expect(seen[k]?.trainRows).toEqual([...train].map((row) => SIGNAL[row]));
      expect(seen[k]?.trainLabels).toEqual([...train].map((row) => LABELS[row]));
      const testLabels = Uint8Array.from(test, (row) => LABELS[row] as number);
      const p = Float64Array.from(test, (row) => sigmoid(SIGNAL[row] as number));
      expect(result.folds[k]).toEqual({
        fold: k,
        trainRows: train.length,
        testRows: test.length,
        rocAuc: rocAuc(testLabels, p),
        prAuc: prAuc(testLabels, p),
        logLoss: logLoss(testLabels, p),
        brier: brierScore(testLabels, p),
      });
    });
    expect(result.outOfFoldProbabilities).toEqual(Float64Array.from(SIGNAL, sigmoid));
  });

  it('summarises each metric by mean and population standard deviation', () => {
    const result = crossValidate(MATRIX, LABELS, { folds: 4, seed: 5 }, signalModel);
    for (const metric of ['rocAuc', 'prAuc', 'logLoss', 'brier'] as const) {
      const values = result.folds.map((fold) => fold[metric]);
      const mean = values.reduce((a, b) => a + b) / 4;
      // ddof = 0: divide by the number of folds, as numpy.std and scikit-learn do.
      const std = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / 4);
      expect(result.summary[metric].mean).toBeCloseTo(mean, 14);
      expect(result.summary[metric].std).toBeCloseTo(std, 14);
      expect(result.summary[metric].std).toBeGreaterThan(0);
    }
  });

  it('rejects mismatched inputs and a model returning the wrong number of probabilities', () => {
    expect(() =>
      crossValidate(MATRIX, LABELS.subarray(1), { folds: 2, seed: 0 }, signalModel),
    ).toThrow('crossValidate: matrix has 40 rows but labels has 39');
    expect(() =>
      crossValidate(MATRIX, LABELS, { folds: 2, seed: 0 }, () => new Float64Array(3)),
    ).toThrow("crossValidate: fitAndPredict returned 3 probabilities for fold 0's 20 test rows");
    expect(() =>
      crossValidate(MATRIX, LABELS, { folds: 2, seed: 0 }, (_, __, test) =>
        new Float64Array(test.rows).fill(2),
      ),
    ).toThrow("crossValidate: fold 0's probabilities[0] is 2; it must be within [0, 1]");
  });
});
