/**
 * The shared real lead-conversion data sets and the peer baselines our models are held to
 * (see /work/shared/datasets/README.md and BASELINES.md: scikit-learn 1.2.1, 5-fold
 * stratified CV, mean ROC AUC). Used by the quality tests and the quality benchmark.
 *
 * The files are not in this repository (their licences are unknown or non-commercial); they
 * are read from LEADSCORE_DATASETS, by default the workplace's shared copy.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import {
  applyPreprocessing,
  extractLabels,
  fitPreprocessing,
  readTable,
} from '../src/data/index.js';
import { type CrossValidationResult, crossValidate } from '../src/evaluation/index.js';
import { trainGbdt } from '../src/gbdt/index.js';
import { trainLogistic } from '../src/logistic/index.js';
import { sigmoid } from '../src/model.js';

export const DATASETS_DIR = process.env.LEADSCORE_DATASETS ?? '/work/shared/datasets';

export interface DatasetVariant {
  readonly name: string;
  /** Relative to DATASETS_DIR. */
  readonly file: string;
  readonly target: string;
  readonly exclude: readonly string[];
  readonly naTokens?: readonly string[];
  /** scikit-learn's 5-fold CV mean ROC AUC: LogisticRegression and HistGradientBoosting. */
  readonly baseline: { readonly logistic: number; readonly gbdt: number };
}

const XEDU_IDS = ['Prospect ID', 'Lead Number'];
/** Filled in by the sales team after contact: leakage for a new-lead score. */
const XEDU_SALES_COLUMNS = [
  'Tags',
  'Lead Quality',
  'Lead Profile',
  'Asymmetrique Activity Index',
  'Asymmetrique Profile Index',
  'Asymmetrique Activity Score',
  'Asymmetrique Profile Score',
];
const OLIST_FILE = 'olist_marketing_funnel/olist_mql_labeled.csv';
/** The raw date is represented by its month and weekday columns, as in the baselines. */
const OLIST_ALWAYS_EXCLUDED = ['mql_id', 'first_contact_date'];

export const DATASET_VARIANTS: readonly DatasetVariant[] = [
  {
    name: 'xedu_full',
    file: 'x_education/Leads.csv',
    target: 'Converted',
    exclude: XEDU_IDS,
    naTokens: ['Select'],
    baseline: { logistic: 0.9792, gbdt: 0.9843 },
  },
  {
    name: 'xedu_no_sales_cols',
    file: 'x_education/Leads.csv',
    target: 'Converted',
    exclude: [...XEDU_IDS, ...XEDU_SALES_COLUMNS],
    naTokens: ['Select'],
    baseline: { logistic: 0.893, gbdt: 0.9073 },
  },
  {
    name: 'olist_origin_only',
    file: OLIST_FILE,
    target: 'closed',
    exclude: [
      ...OLIST_ALWAYS_EXCLUDED,
      'landing_page_id',
      'first_contact_month',
      'first_contact_weekday',
    ],
    baseline: { logistic: 0.6093, gbdt: 0.6093 },
  },
  {
    name: 'olist_no_month_landing',
    file: OLIST_FILE,
    target: 'closed',
    exclude: [...OLIST_ALWAYS_EXCLUDED, 'first_contact_month'],
    baseline: { logistic: 0.6676, gbdt: 0.6623 },
  },
  {
    name: 'olist_origin_date',
    file: OLIST_FILE,
    target: 'closed',
    exclude: [...OLIST_ALWAYS_EXCLUDED, 'landing_page_id'],
    baseline: { logistic: 0.6825, gbdt: 0.6531 },
  },
  {
    name: 'olist_origin_date_landing',
    file: OLIST_FILE,
    target: 'closed',
    exclude: OLIST_ALWAYS_EXCLUDED,
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: a measured AUC, not ln 2
    baseline: { logistic: 0.6965, gbdt: 0.693 },
  },
];

/** How far below the baseline we may be (the quality bar). */
export const BASELINE_TOLERANCE = 0.005;

/** The ROC AUC a model must reach on a variant: the baseline less the tolerance. */
export function aucFloor(variant: DatasetVariant, model: 'gbdt' | 'logistic'): number {
  return variant.baseline[model] - BASELINE_TOLERANCE;
}

export function datasetPath(variant: DatasetVariant): string {
  return path.join(DATASETS_DIR, variant.file);
}

/** Why the data sets cannot be read here, or null when they can. */
export function datasetsMissingReason(): string | null {
  const missing = DATASET_VARIANTS.map(datasetPath).filter((file) => !existsSync(file));
  return missing.length === 0
    ? null
    : `data sets not found (${missing[0]}); set LEADSCORE_DATASETS to the shared datasets folder`;
}

/** The protocol of BASELINES.md: 5 stratified folds, seed 42. */
export const CV_FOLDS = 5;
export const CV_SEED = 42;

const TRAINERS = { gbdt: trainGbdt, logistic: trainLogistic } as const;
export type BaselinedModel = keyof typeof TRAINERS;

/** k-fold cross-validation of one of our models, default options, on a data-set variant. */
export async function crossValidateVariant(
  variant: DatasetVariant,
  type: BaselinedModel,
): Promise<CrossValidationResult> {
  const table = await readTable(createReadStream(datasetPath(variant)));
  const options = { target: variant.target, exclude: variant.exclude, naTokens: variant.naTokens };
  const labels = extractLabels(table, variant.target, options);
  const matrix = applyPreprocessing(fitPreprocessing(table, options), table);
  return crossValidate(matrix, labels, { folds: CV_FOLDS, seed: CV_SEED }, (train, y, test) =>
    TRAINERS[type](train, y).predictLogOdds(test).map(sigmoid),
  );
}
