import type { Feature } from '../matrix.js';

/**
 * What the engine reads of a lead, as the server stores it. Every field may be missing (`null`
 * or absent); a missing field gives missing (`NaN`) features, never a guess.
 */
export interface LeadProfile {
  readonly email?: string | null;
  readonly jobTitle?: string | null;
  readonly company?: string | null;
  /** ISO 3166-1 alpha-2, as the server stores it (upper case); matched case-insensitively. */
  readonly country?: string | null;
  readonly industry?: string | null;
  /** Employees: a non-negative integer. */
  readonly companySize?: number | null;
  readonly source?: string | null;
  /** The lead's free-form attributes (technographics such as `crm` live here). */
  readonly customAttributes?: Readonly<Record<string, unknown>> | null;
  /**
   * When the lead was created, in ms since the epoch. Not a feature: a lead's age at its outcome
   * mostly reflects how long the sales team took to decide, which would leak into training.
   */
  readonly createdAt?: number;
}

/** One thing a lead did (or that happened to it), with its time in ms since the epoch. */
export interface LeadActivity {
  /** A standard type such as `page_view`, or `custom:<name>`. */
  readonly type: string;
  readonly timestamp: number;
  /** The activity's payload; today's features read only the type and the time. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * One lead's feature values in schema order. A numeric feature is its value; a categorical one
 * is its category code (an index into the feature's `categories`); `NaN` is missing.
 */
export interface LeadFeatures {
  /** `leadFeatureSchema(config)` for the config the values were computed with. */
  readonly schema: readonly Feature[];
  readonly values: Float64Array;
  /** Fingerprint of that config, so a consumer can refuse features computed with another one. */
  readonly configKey: string;
}
