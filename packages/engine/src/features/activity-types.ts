/**
 * The activity vocabulary as the engine sees it. It mirrors the server's list of activity types
 * (the engine imports nothing from the server), so a type added there must be added here too.
 */

/** The activity types every lead's features count, in feature-schema order. */
export const STANDARD_ACTIVITY_TYPES = [
  'page_view',
  'email_open',
  'email_click',
  'form_submit',
  'demo_request',
  'pricing_view',
  'content_download',
  'webinar_attended',
  'meeting_booked',
  'email_bounce',
  'unsubscribe',
] as const;

export type StandardActivityType = (typeof STANDARD_ACTIVITY_TYPES)[number];

/** Same rule as the server's: `custom:` and 1–64 of `a-z 0-9 _ . -`. */
export const CUSTOM_ACTIVITY_TYPE = /^custom:[a-z0-9_.-]{1,64}$/;

const STANDARD = new Set<string>(STANDARD_ACTIVITY_TYPES);

export function isStandardActivityType(type: string): type is StandardActivityType {
  return STANDARD.has(type);
}

/**
 * Whether the lead did it. A bounce is something that happened to the lead's address, not a sign
 * of life, so it never counts toward recency or active days.
 */
export function isLeadInitiated(type: string): boolean {
  return type !== 'email_bounce';
}

/**
 * Whether the type shows interest. Bounces and unsubscribes are activity but not engagement, so
 * the engagement composites leave them out.
 */
export function isPositiveEngagement(type: string): boolean {
  return type !== 'email_bounce' && type !== 'unsubscribe';
}
