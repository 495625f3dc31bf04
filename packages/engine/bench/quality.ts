// Our models beside scikit-learn on the shared real lead-conversion data sets: 5-fold CV
// ROC AUC (same protocol as BASELINES.md) and fit time, measured in this run. Run from the
// repository root: `npm run bench:quality`.
import {
  BASELINE_TOLERANCE,
  type BaselinedModel,
  crossValidateVariant,
  DATASET_VARIANTS,
  datasetsMissingReason,
} from '../test/datasets.js';

const MODELS: readonly BaselinedModel[] = ['gbdt', 'logistic'];

const missing = datasetsMissingReason();
if (missing) {
  console.log(`Not measured: ${missing}`);
} else {
  console.log('5-fold stratified CV, seed 42; scikit-learn 1.2.1 figures from BASELINES.md');
  console.log('data set                   model     ours AUC ± std    sklearn  Δ        5 fits s');
  for (const variant of DATASET_VARIANTS) {
    for (const model of MODELS) {
      const started = performance.now();
      const { summary } = await crossValidateVariant(variant, model);
      const seconds = (performance.now() - started) / 1000;
      const baseline = variant.baseline[model];
      const delta = summary.rocAuc.mean - baseline;
      const verdict = delta >= -BASELINE_TOLERANCE ? '' : '  below the bar';
      console.log(
        `${variant.name.padEnd(26)} ${model.padEnd(9)} ${summary.rocAuc.mean.toFixed(4)} ± ${summary.rocAuc.std.toFixed(4)}   ${baseline.toFixed(4)}   ${delta >= 0 ? '+' : ''}${delta.toFixed(4)}  ${seconds.toFixed(2).padStart(7)}${verdict}`,
      );
    }
  }
}
