/**
 * Times scikit-learn's HistGradientBoostingClassifier and XGBoost's `hist` trees on the very
 * same matrix and labels as ours: both are written to a temporary folder as raw float64 and
 * uint8 files and read back with numpy.fromfile by a small embedded Python script.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureMatrix, Labels } from '../../src/matrix.js';

export const PYTHON = '/usr/bin/python3';

export interface PeerResult {
  readonly name: string;
  readonly version: string;
  readonly threads: string;
  readonly trainSeconds: number;
  readonly predictSeconds: number;
  readonly trainAuc: number;
}

/** Same settings as our run: 100 rounds, 31 leaves, 255 bins, learning rate 0.1, no early stop. */
const SCRIPT = `
import json, sys, time
import numpy as np
rows, features, folder = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
# Written column after column: (features, rows) in C order is X in Fortran order.
X = np.fromfile(folder + '/x.f64', dtype=np.float64).reshape(features, rows).T
y = np.fromfile(folder + '/y.u8', dtype=np.uint8)

def threads():
    try:
        from threadpoolctl import threadpool_info
        return ','.join(sorted({'%s:%d' % (p['user_api'], p['num_threads']) for p in threadpool_info()})) or '?'
    except Exception:
        return '?'

def run(name, version, model):
    from sklearn.metrics import roc_auc_score
    start = time.perf_counter(); model.fit(X, y); fitted = time.perf_counter()
    p = model.predict_proba(X)[:, 1]; done = time.perf_counter()
    print(json.dumps({'name': name, 'version': version, 'threads': threads(),
                      'trainSeconds': fitted - start, 'predictSeconds': done - fitted,
                      'trainAuc': roc_auc_score(y, p)}), flush=True)

import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
run('scikit-learn HistGradientBoosting', sklearn.__version__, HistGradientBoostingClassifier(
    max_iter=100, max_leaf_nodes=31, max_bins=255, learning_rate=0.1, early_stopping=False))
try:
    import xgboost
except ImportError:
    sys.exit(0)
run('XGBoost hist (lossguide)', xgboost.__version__, xgboost.XGBClassifier(
    tree_method='hist', grow_policy='lossguide', max_leaves=31, max_depth=0, max_bin=255,
    n_estimators=100, learning_rate=0.1))
`;

/** Whether `/usr/bin/python3` can import scikit-learn (and numpy). */
export function sklearnAvailable(): boolean {
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn, numpy'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** Runs the peers on `matrix` / `labels`; one result per library that could be imported. */
export function runPeers(matrix: FeatureMatrix, labels: Labels): PeerResult[] {
  const folder = mkdtempSync(join(tmpdir(), 'leadscore-gbdt-bench-'));
  try {
    const x = openSync(join(folder, 'x.f64'), 'w');
    for (const column of matrix.columns) writeSync(x, column);
    closeSync(x);
    const y = openSync(join(folder, 'y.u8'), 'w');
    writeSync(y, labels);
    closeSync(y);
    const run = spawnSync(
      PYTHON,
      ['-c', SCRIPT, String(matrix.rows), String(matrix.features.length), folder],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
    );
    if (run.status !== 0) throw new Error(`the Python peers exited with status ${run.status}`);
    return run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as PeerResult);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
