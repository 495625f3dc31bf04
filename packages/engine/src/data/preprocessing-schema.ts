import type { CategoricalFeature, Feature, FeatureGroup, NumericFeature } from '../matrix.js';

/**
 * The fitted recipe that turns raw CSV columns into a `FeatureMatrix`: plain JSON, stored with
 * a model so that scoring encodes new rows exactly as training did.
 *
 * Each used column lists the features it becomes, in matrix order:
 * - numeric → one numeric feature, the number as written;
 * - boolean → one numeric feature, 1 for `trueValue` and 0 for `falseValue`;
 * - date → one numeric feature per recurring part (`parts`): month (1–12), ISO weekday
 *   (1 = Monday … 7), hour of day (fractional; only when the values carry times). Absolute
 *   time (e.g. days since 1970) is left out on purpose: every lead scored later lies beyond
 *   the training range, and recent training leads look unconverted only because their
 *   outcome is not in yet, so a model would learn that censoring rather than lead quality;
 * - categorical → one categorical feature whose categories are the frequent levels, most
 *   frequent first, then `otherCategory` (the fold for rare levels) when there is one.
 */
export interface PreprocessingSchema {
  readonly format: 'leadscore-preprocessing';
  readonly formatVersion: 1;
  /** Raw values read as missing besides blank fields. */
  readonly naTokens: readonly string[];
  readonly columns: readonly ColumnSchema[];
  /** Input columns that give no feature, and why (for the CLI to report). */
  readonly dropped: readonly DroppedColumn[];
}

/** What a column holds, as inferred from its values or set by an override. */
export type ColumnKind = 'numeric' | 'categorical' | 'boolean' | 'date';

export const COLUMN_KINDS: readonly ColumnKind[] = ['numeric', 'categorical', 'boolean', 'date'];

/** A recurring part of a date that becomes a numeric feature. */
export type DatePart = 'month' | 'weekday' | 'hour';

export const DATE_PARTS: readonly DatePart[] = ['month', 'weekday', 'hour'];

export interface NumericColumnSchema {
  readonly name: string;
  readonly kind: 'numeric';
  readonly features: readonly [NumericFeature];
}

export interface BooleanColumnSchema {
  readonly name: string;
  readonly kind: 'boolean';
  /** Lower-case; raw values are compared trimmed and lower-cased. */
  readonly trueValue: string;
  readonly falseValue: string;
  readonly features: readonly [NumericFeature];
}

export interface DateColumnSchema {
  readonly name: string;
  readonly kind: 'date';
  /** `parts[k]` gives `features[k]`; only parts that varied in the training data. */
  readonly parts: readonly DatePart[];
  readonly features: readonly NumericFeature[];
}

export interface CategoricalColumnSchema {
  readonly name: string;
  readonly kind: 'categorical';
  /** The last category, which rare and unseen levels map to; null when nothing was folded. */
  readonly otherCategory: string | null;
  readonly features: readonly [CategoricalFeature];
}

export type ColumnSchema =
  | NumericColumnSchema
  | BooleanColumnSchema
  | DateColumnSchema
  | CategoricalColumnSchema;

/** Why a column gives no feature. */
export type DropReason = 'target' | 'excluded' | 'empty' | 'constant';

export interface DroppedColumn {
  readonly name: string;
  readonly reason: DropReason;
  /** A sentence for people, e.g. 'every row has the value "No"'. */
  readonly detail: string;
}

export const FEATURE_GROUPS: readonly FeatureGroup[] = ['behavioural', 'demographic', 'engagement'];

/** The features of every column, in matrix column order. */
export function schemaFeatures(schema: PreprocessingSchema): readonly Feature[] {
  return schema.columns.flatMap((column): readonly Feature[] => column.features);
}

/** The name of the feature a date part becomes, e.g. `first_contact_date.month`. */
export function datePartFeatureName(column: string, part: DatePart): string {
  return `${column}.${part}`;
}
