// The engine's headline benchmark: our histogram gradient-boosted trees against scikit-learn's
// HistGradientBoostingClassifier (and XGBoost's `hist` trees when installed) on the same
// 1,000,000 × 30 synthetic task, timed in the same run so that the ratios are what count.
// Run from the repository root: `npm run bench:engine`. The last line is a JSON summary.
import { availableParallelism } from 'node:os';
import { rocAuc } from '../src/evaluation/index.js';
import { trainGbdt } from '../src/gbdt/index.js';
import { makeClassification } from './gbdt/make-classification.js';
import { type PeerResult, runPeers, sklearnAvailable } from './gbdt/peers.js';
import { formatTable, machineLine } from './gbdt/report.js';

const ROWS = 1_000_000;
const SHAP_ROWS = 10_000;

function timed<T>(run: () => T): { value: T; seconds: number } {
  const start = performance.now();
  const value = run();
  return { value, seconds: (performance.now() - start) / 1000 };
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

console.log(machineLine());
const data = timed(() =>
  makeClassification({
    rows: ROWS,
    informative: 10,
    redundant: 10,
    noise: 10,
    clustersPerClass: 2,
    classSeparation: 1,
    flipShare: 0.03,
    seed: 42,
  }),
);
const { matrix, labels } = data.value;
console.log(
  `data: ${ROWS.toLocaleString('en')} rows × ${matrix.features.length} numeric features, generated in ${data.seconds.toFixed(1)} s`,
);

// scikit-learn's settings: no L2 penalty (its default, where ours is 1) and no early stopping.
// As many threads as cores, as scikit-learn's OpenMP uses.
const THREADS = availableParallelism();
const train = timed(() =>
  trainGbdt(matrix, labels, {
    maxIterations: 100,
    maxLeaves: 31,
    maxBins: 255,
    learningRate: 0.1,
    minSamplesLeaf: 20,
    l2Regularization: 0,
    earlyStopping: false,
    threads: THREADS,
  }),
);
const model = train.value;
const predict = timed(() => model.predictLogOdds(matrix, { threads: THREADS }));
const trainAuc = rocAuc(labels, predict.value);
const shapRows = Array.from({ length: SHAP_ROWS }, (_, row) => row);
const shap = timed(() => model.explainRows(matrix, shapRows, { threads: THREADS }));
const peakMemoryMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `ours: ${model.treeCount} trees; TreeSHAP ${SHAP_ROWS.toLocaleString('en')} rows in ${shap.seconds.toFixed(2)} s; peak RSS ${peakMemoryMb.toFixed(0)} MB`,
);

let peers: PeerResult[] = [];
if (sklearnAvailable()) {
  peers = runPeers(matrix, labels);
} else {
  console.log('scikit-learn is not importable by /usr/bin/python3: no peer timings');
}

const ratio = (ours: number, theirs: number | undefined) =>
  theirs === undefined ? '–' : `${(ours / theirs).toFixed(2)}×`;
console.log();
console.log(
  formatTable([
    [
      'library',
      'train s',
      'predict s',
      'train AUC',
      'ours/peer train',
      'ours/peer predict',
      'threads',
    ],
    [
      'leadscore (ours)',
      train.seconds.toFixed(2),
      predict.seconds.toFixed(2),
      trainAuc.toFixed(4),
      '',
      '',
      String(THREADS),
    ],
    ...peers.map((peer) => [
      `${peer.name} ${peer.version}`,
      peer.trainSeconds.toFixed(2),
      peer.predictSeconds.toFixed(2),
      peer.trainAuc.toFixed(4),
      ratio(train.seconds, peer.trainSeconds),
      ratio(predict.seconds, peer.predictSeconds),
      peer.threads,
    ]),
  ]),
);
console.log();

const sklearn = peers.find((peer) => peer.name.startsWith('scikit-learn'));
console.log(
  JSON.stringify({
    train: {
      ours: round(train.seconds),
      sklearn: sklearn ? round(sklearn.trainSeconds) : null,
      ratio: sklearn ? round(train.seconds / sklearn.trainSeconds) : null,
    },
    predict: {
      ours: round(predict.seconds),
      sklearn: sklearn ? round(sklearn.predictSeconds) : null,
      ratio: sklearn ? round(predict.seconds / sklearn.predictSeconds) : null,
    },
    shap: { ours: round(shap.seconds), rowsPerSecond: Math.round(SHAP_ROWS / shap.seconds) },
    peakMemoryMb: Math.round(peakMemoryMb),
  }),
);
