// The engine's public surface: other packages import from '@leadscore/engine' only.
export { createRng, type Rng } from './random.js';
