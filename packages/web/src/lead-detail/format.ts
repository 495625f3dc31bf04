/** A moment as a sales rep reads it: "12 Mar 2026, 14:05" in their own locale. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A short moment for a chart's axis, where space is tight: "12 Mar, 14:05". */
export function formatAxisTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A person's full name, or their email when they have none. */
export function personName(person: {
  firstName: string | null;
  lastName: string | null;
  email: string;
}): string {
  return [person.firstName, person.lastName].filter(Boolean).join(' ') || person.email;
}

/** Score points to the tenth that trained models' parts may carry. */
export function roundPoints(points: number): number {
  return Math.round(points * 10) / 10;
}

/** A signed amount of score points: "+12", "−3.5", "0". */
export function signedPoints(points: number): string {
  const rounded = roundPoints(points);
  if (rounded > 0) return `+${rounded}`;
  if (rounded < 0) return `−${Math.abs(rounded)}`;
  return '0';
}
