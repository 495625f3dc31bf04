import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import {
  type BinaryEvaluation,
  type CrossValidationResult,
  evaluateBinary,
  extractLabels,
  type FeatureImportance,
  formatReason,
  LearnedRulesModel,
  loadTrainedModel,
  MODEL_FILE_FORMAT_VERSION,
  ModelFileError,
  readTable,
  readTableChunks,
  type TrainedModel,
  trainModel,
} from '@leadscore/engine';
import { Command, Option } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { commaList, integer, oneOf, positiveInteger } from './arguments.js';

/**
 * `leadscore model train | evaluate | score`: the engine on CSV files, no server or
 * database needed. Results go to stdout (one JSON object) or the --out file; progress
 * goes to stderr, so stdout can be piped.
 */
export function modelCommand(): Command {
  const model = new Command('model').description(
    'Train, evaluate and apply lead scoring models on CSV files',
  );
  model
    .command('train')
    .description('Train a model on past leads and their outcomes; prints its metrics as JSON')
    .requiredOption('--data <file>', 'CSV file of past leads, with a header row')
    .requiredOption('--target <column>', 'the outcome column')
    .option('--positive <value>', 'the target value that means converted (default: 1, true or yes)')
    .option(
      '--exclude <columns>',
      'comma-separated columns to leave out (ids, leaky fields)',
      commaList,
      [],
    )
    .addOption(
      new Option(
        '--type <type>',
        'gradient-boosted trees, logistic regression, or a learned points table',
      )
        .choices(['gbdt', 'logistic', 'rules'])
        .default('gbdt'),
    )
    .option('--cv <k>', 'also report stratified k-fold cross-validation', positiveInteger)
    .option('--seed <s>', 'random seed (holdout split, folds, subsampling)', integer, 42)
    .option(
      '--na <tokens>',
      'comma-separated values that mean missing, besides blank (e.g. Select,NA)',
      commaList,
    )
    .option('--delimiter <char>', 'field separator', ',')
    .option(
      '--calibrate <method>',
      'calibrate probabilities on out-of-fold predictions (platt or isotonic)',
      oneOf(['platt', 'isotonic'] as const),
    )
    .requiredOption('--out <file>', 'where to write the model (JSON)')
    .action(async (options: TrainFlags) => {
      const table = await readTable(createReadStream(options.data), {
        delimiter: options.delimiter,
      });
      const outcome = trainModel(table, {
        target: options.target,
        type: options.type,
        seed: options.seed,
        exclude: options.exclude,
        ...(options.positive !== undefined && { positive: options.positive }),
        ...(options.cv !== undefined && { cvFolds: options.cv }),
        ...(options.na !== undefined && { naTokens: ['', ...options.na] }),
        ...(options.calibrate !== undefined && { calibration: options.calibrate }),
        onProgress: (message) => process.stderr.write(`${message}\n`),
      });
      for (const dropped of outcome.dropped.filter(
        (d) => d.reason === 'empty' || d.reason === 'constant',
      )) {
        process.stderr.write(`column "${dropped.name}" not used: ${dropped.detail}\n`);
      }
      printImportance(outcome.importance);
      if (outcome.model.model instanceof LearnedRulesModel) printPointsTable(outcome.model.model);
      await writeFile(options.out, `${JSON.stringify(outcome.model)}\n`);
      process.stderr.write(`model written to ${options.out}\n`);
      printJson(report(outcome.model, outcome.holdout, outcome.cv));
    });

  model
    .command('evaluate')
    .description('Measure a trained model on new labelled data; prints the metrics as JSON')
    .requiredOption('--model <file>', 'a model written by `model train`')
    .requiredOption('--data <file>', 'CSV file with the same columns and the outcome')
    .requiredOption('--target <column>', 'the outcome column')
    .option('--positive <value>', 'the target value that means converted (default: as in training)')
    .option('--delimiter <char>', 'field separator', ',')
    .action(async (options: EvaluateFlags) => {
      const trained = await readModel(options.model);
      const table = await readTable(createReadStream(options.data), {
        delimiter: options.delimiter,
      });
      const labels = extractLabels(table, options.target, {
        positive: options.positive ?? trained.training.positive,
        naTokens: trained.preprocessing.naTokens,
      });
      const probabilities = trained.predictProbabilities(trained.encode(table));
      printJson(report(trained, evaluateBinary(labels, probabilities), null));
    });

  model
    .command('score')
    .description('Score every row of a CSV file (streamed: files larger than memory are fine)')
    .requiredOption('--model <file>', 'a model written by `model train`')
    .requiredOption('--data <file>', 'CSV file of leads to score')
    .requiredOption('--out <file>', 'CSV to write: the input columns, score, probability, reasons')
    .option('--explain <k>', 'add the top k reasons for each score', integer, 0)
    .option('--delimiter <char>', 'field separator', ',')
    .action(async (options: ScoreFlags) => {
      const trained = await readModel(options.model);
      const rows = await scoreFile(trained, options);
      process.stderr.write(`scored ${rows} rows into ${options.out}\n`);
    });
  return model;
}

interface TrainFlags {
  data: string;
  target: string;
  positive?: string;
  exclude: string[];
  type: 'gbdt' | 'logistic' | 'rules';
  cv?: number;
  seed: number;
  na?: string[];
  delimiter: string;
  calibrate?: 'platt' | 'isotonic';
  out: string;
}

interface EvaluateFlags {
  model: string;
  data: string;
  target: string;
  positive?: string;
  delimiter: string;
}

interface ScoreFlags {
  model: string;
  data: string;
  out: string;
  explain: number;
  delimiter: string;
}

async function readModel(file: string): Promise<TrainedModel> {
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelFileError(`${file} is not JSON, so not a model written by \`model train\``);
  }
  return loadTrainedModel(json);
}

/** Reads, scores and writes one chunk at a time, waiting for the file to drain between. */
async function scoreFile(trained: TrainedModel, options: ScoreFlags): Promise<number> {
  const out = createWriteStream(options.out);
  const reasonColumns = Array.from({ length: options.explain }, (_, i) => `reason_${i + 1}`);
  let rows = 0;
  try {
    for await (const chunk of readTableChunks(createReadStream(options.data), {
      delimiter: options.delimiter,
    })) {
      const matrix = trained.encode(chunk);
      const probabilities = trained.predictProbabilities(matrix);
      const records: string[][] = [];
      if (rows === 0) records.push([...chunk.header, 'score', 'probability', ...reasonColumns]);
      for (let i = 0; i < chunk.rows; i++) {
        const probability = probabilities[i] as number;
        const record = chunk.columns.map((column) => column[i] as string);
        record.push(String(Math.round(100 * probability)), probability.toFixed(6));
        if (options.explain > 0)
          record.push(...strongestReasons(trained, matrix, i, options.explain));
        records.push(record);
      }
      rows += chunk.rows;
      if (!out.write(stringify(records, { delimiter: options.delimiter })))
        await once(out, 'drain');
      if (process.stderr.isTTY) process.stderr.write(`\rscored ${rows} rows`);
    }
  } finally {
    out.end();
    await once(out, 'close');
    if (process.stderr.isTTY) process.stderr.write('\n');
  }
  return rows;
}

/** The k reasons that move the score most, either way, as "text (+points)". */
function strongestReasons(
  trained: TrainedModel,
  matrix: ReturnType<TrainedModel['encode']>,
  row: number,
  k: number,
): string[] {
  const { positive, negative } = trained.explainRow(matrix, row, k).reasons;
  const strongest = [...positive, ...negative]
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
    .slice(0, k)
    .map(formatReason);
  return [...strongest, ...Array<string>(k - strongest.length).fill('')];
}

function report(
  trained: TrainedModel,
  metrics: BinaryEvaluation,
  cv: CrossValidationResult | null,
) {
  return {
    model: { type: trained.type, formatVersion: MODEL_FILE_FORMAT_VERSION },
    metrics: {
      rocAuc: metrics.rocAuc,
      prAuc: metrics.prAuc,
      logLoss: metrics.logLoss,
      brier: metrics.brier,
      rows: metrics.rows,
      positives: metrics.positives,
    },
    ...(cv && {
      cv: {
        folds: cv.folds.length,
        rocAuc: cv.summary.rocAuc,
        prAuc: cv.summary.prAuc,
        logLoss: cv.summary.logLoss,
        brier: cv.summary.brier,
      },
    }),
  };
}

const IMPORTANCE_LINES = 10;

/** The most influential features, for people (stderr). */
function printImportance(importance: readonly FeatureImportance[]): void {
  process.stderr.write('most influential features (mean |SHAP| in log-odds, split gain):\n');
  for (const { feature, meanAbsShap, gain } of importance.slice(0, IMPORTANCE_LINES)) {
    const gainText = gain === null ? '' : `  gain ${gain.toFixed(1)}`;
    process.stderr.write(`  ${meanAbsShap.toFixed(4)}  ${feature}${gainText}\n`);
  }
}

/** The learned points per range and category, for people (stderr). */
function printPointsTable(model: LearnedRulesModel): void {
  process.stderr.write('points table (20 points double the odds):\n');
  for (const rule of model.rules()) {
    const points = `${rule.points > 0 ? '+' : ''}${rule.points}`;
    process.stderr.write(`  ${points.padStart(5)}  ${rule.feature} ${rule.condition}\n`);
  }
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
