/**
 * The bands analytics counts scores in: ten 10-point bands, 0–9 … 80–89, and 90–100 (the last
 * holds 100, so that a perfect score has a band of ten values like the others but one more). The
 * engine's conversion by band and the challenger comparison cut scores the same way.
 */
import { type RawBuilder, sql } from 'kysely';

export const BAND_COUNT = 10;

export interface BandBounds {
  /** Lowest score in the band. */
  readonly lower: number;
  /** Highest score in the band (inclusive; scores are whole numbers). */
  readonly upper: number;
  /** "0–9" … "90–100". */
  readonly label: string;
}

/** Band 0 (scores 0–9) … band 9 (scores 90–100). */
export const SCORE_BANDS: readonly BandBounds[] = Array.from({ length: BAND_COUNT }, (_, band) => {
  const lower = band * 10;
  const upper = band === BAND_COUNT - 1 ? 100 : lower + 9;
  return { lower, upper, label: `${lower}–${upper}` };
});

/**
 * The band index of an integer score column or expression, in SQL; null stays null (which
 * `least(score / 10, 9)` would not do: least() skips nulls and answers 9).
 */
export function bandOf(score: RawBuilder<unknown>): RawBuilder<number | null> {
  return sql<
    number | null
  >`case when ${score} >= 100 then ${BAND_COUNT - 1} else ${score} / 10 end`;
}

/** Fit letter A (best) … D, then engagement digit 1 (most engaged) … 4: A1, A2, …, D4. */
export const GRADES: readonly string[] = ['A', 'B', 'C', 'D'].flatMap((fit) =>
  ['1', '2', '3', '4'].map((engagement) => fit + engagement),
);

/** A count per band, from rows of (band, count) where absent bands hold none. */
export function countsByBand(rows: readonly { band: number; count: number }[]): number[] {
  const counts = new Array<number>(BAND_COUNT).fill(0);
  for (const row of rows) counts[row.band] = (counts[row.band] as number) + row.count;
  return counts;
}
