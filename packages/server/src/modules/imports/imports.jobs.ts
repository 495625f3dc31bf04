import type { JobHandlers } from '../../jobs/index.js';
import { type ImportRunDeps, runImport } from './imports.runner.js';

/** The imports module's background job. */
export function importJobHandlers(deps: ImportRunDeps): Pick<JobHandlers, 'imports.run'> {
  return {
    'imports.run': (payload, context) => runImport(deps, payload, context),
  };
}
