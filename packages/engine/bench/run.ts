// Throughput of the seeded generator against V8's Math.random, both measured in this run so the
// ratio means the same on any machine. Run from packages/engine: `npm run bench`.
import { createRng, type Rng } from '../src/index.js';

const DRAWS = 10_000_000;
const ROUNDS = 3;

interface Timing {
  seconds: number;
  mean: number;
}

// Two loops rather than one taking a callback: a shared call site would see both generators,
// and the JIT could then inline neither, which would measure the call rather than the draw.
// Summing the draws, and printing their mean, keeps the JIT from discarding them.
function timeRng(rng: Rng): Timing {
  let sum = 0;
  const start = performance.now();
  for (let i = 0; i < DRAWS; i++) sum += rng.next();
  return { seconds: (performance.now() - start) / 1000, mean: sum / DRAWS };
}

function timeMathRandom(): Timing {
  let sum = 0;
  const start = performance.now();
  for (let i = 0; i < DRAWS; i++) sum += Math.random();
  return { seconds: (performance.now() - start) / 1000, mean: sum / DRAWS };
}

function bestOf(measure: () => Timing): Timing {
  measure(); // warm-up: lets the JIT optimise the loop before anything counts
  let best = measure();
  for (let round = 1; round < ROUNDS; round++) {
    const timing = measure();
    if (timing.seconds < best.seconds) best = timing;
  }
  return best;
}

const rng = createRng(42);
const results = [
  { name: 'createRng().next()', timing: bestOf(() => timeRng(rng)) },
  { name: 'Math.random()', timing: bestOf(timeMathRandom) },
];

const rows = [
  ['generator', 'draws/s', 'ns/draw', 'mean'],
  ...results.map(({ name, timing }) => [
    name,
    `${(DRAWS / timing.seconds / 1e6).toFixed(1)} M`,
    ((timing.seconds * 1e9) / DRAWS).toFixed(2),
    timing.mean.toFixed(5),
  ]),
];
const widths = rows[0]?.map((_, column) =>
  Math.max(...rows.map((row) => row[column]?.length ?? 0)),
);
for (const row of rows) {
  const cells = row.map((cell, column) =>
    column === 0 ? cell.padEnd(widths?.[column] ?? 0) : cell.padStart(widths?.[column] ?? 0),
  );
  console.log(cells.join('   '));
}

const [seeded, builtIn] = results;
if (seeded && builtIn) {
  const ratio = builtIn.timing.seconds / seeded.timing.seconds;
  console.log(
    `\n${DRAWS.toLocaleString('en')} draws, best of ${ROUNDS} after a warm-up; createRng runs at ${ratio.toFixed(2)}× the speed of Math.random.`,
  );
}
