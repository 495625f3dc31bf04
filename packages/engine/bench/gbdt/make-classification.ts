/**
 * A seeded synthetic binary task in the spirit of scikit-learn's `make_classification`: each
 * class is a mixture of Gaussian clusters centred on hypercube vertices in the informative
 * features, redundant features are random linear mixtures of the informative ones, the rest is
 * pure noise, and a share of labels is re-drawn at random.
 */
import { createFeatureMatrix, type FeatureMatrix, type Labels } from '../../src/matrix.js';
import { createRng, type Rng } from '../../src/random.js';

export interface ClassificationTask {
  readonly rows: number;
  readonly informative: number;
  readonly redundant: number;
  readonly noise: number;
  readonly clustersPerClass: number;
  /** Half the side of the hypercube whose vertices the clusters sit on. */
  readonly classSeparation: number;
  /** Share of rows whose label is replaced by a fair coin. */
  readonly flipShare: number;
  readonly seed: number;
}

export function makeClassification(task: ClassificationTask): {
  matrix: FeatureMatrix;
  labels: Labels;
} {
  const { rows, informative, redundant, noise, clustersPerClass, classSeparation } = task;
  const rng = createRng(task.seed);
  const clusters = 2 * clustersPerClass;
  const centroids = distinctVertices(clusters, informative, rng).map((vertex) =>
    vertex.map((bit) => (bit ? classSeparation : -classSeparation)),
  );
  // Each cluster gets its own random covariance: a uniform(-1, 1) mixing matrix per cluster.
  const mixing = Array.from({ length: clusters }, () =>
    uniformMatrix(informative, informative, rng),
  );
  const redundancy = uniformMatrix(informative, redundant, rng);
  const featureCount = informative + redundant + noise;
  const columns = Array.from({ length: featureCount }, () => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  const draw = new Float64Array(informative);
  const point = new Float64Array(informative);

  for (let i = 0; i < rows; i++) {
    const cluster = i % clusters;
    labels[i] = cluster % 2;
    const mix = mixing[cluster] as Float64Array[];
    const centroid = centroids[cluster] as number[];
    for (let a = 0; a < informative; a++) draw[a] = rng.normal();
    for (let b = 0; b < informative; b++) {
      let sum = centroid[b] as number;
      for (let a = 0; a < informative; a++)
        sum += (draw[a] as number) * ((mix[a] as Float64Array)[b] as number);
      point[b] = sum;
      (columns[b] as Float64Array)[i] = sum;
    }
    for (let r = 0; r < redundant; r++) {
      let sum = 0;
      for (let a = 0; a < informative; a++)
        sum += (point[a] as number) * ((redundancy[a] as Float64Array)[r] as number);
      (columns[informative + r] as Float64Array)[i] = sum;
    }
    for (let n = 0; n < noise; n++)
      (columns[informative + redundant + n] as Float64Array)[i] = rng.normal();
    if (rng.next() < task.flipShare) labels[i] = rng.next() < 0.5 ? 1 : 0;
  }

  const features = columns.map((_, j) => ({ name: `f${j}`, kind: 'numeric' as const }));
  return { matrix: createFeatureMatrix(features, columns), labels };
}

function distinctVertices(count: number, dimensions: number, rng: Rng): boolean[][] {
  const seen = new Set<string>();
  const vertices: boolean[][] = [];
  while (vertices.length < count) {
    const vertex = Array.from({ length: dimensions }, () => rng.next() < 0.5);
    const key = vertex.map(Number).join('');
    if (seen.has(key)) continue;
    seen.add(key);
    vertices.push(vertex);
  }
  return vertices;
}

function uniformMatrix(rows: number, columns: number, rng: Rng): Float64Array[] {
  return Array.from({ length: rows }, () =>
    Float64Array.from({ length: columns }, () => 2 * rng.next() - 1),
  );
}
