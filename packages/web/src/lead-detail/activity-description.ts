/** What each activity type the API knows means, in a sales rep's words. */
const ACTIVITY_TITLES: Readonly<Record<string, string>> = {
  page_view: 'Visited a page',
  email_open: 'Opened an email',
  email_click: 'Clicked a link in an email',
  form_submit: 'Submitted a form',
  demo_request: 'Requested a demo',
  pricing_view: 'Viewed pricing',
  content_download: 'Downloaded content',
  webinar_attended: 'Attended a webinar',
  meeting_booked: 'Booked a meeting',
  email_bounce: 'An email bounced',
  unsubscribe: 'Unsubscribed from emails',
};

/**
 * The fields of an activity's data worth a glance, most telling first (the activity types'
 * schemas in the server's activities.vocabulary.ts name them).
 */
const KEY_FIELDS: readonly (readonly [field: string, label: string])[] = [
  ['title', 'Page'],
  ['url', 'URL'],
  ['subject', 'Subject'],
  ['plan', 'Plan'],
  ['asset', 'Asset'],
  ['form_name', 'Form'],
  ['form_id', 'Form'],
  ['webinar_id', 'Webinar'],
  ['minutes_attended', 'Minutes attended'],
  ['meeting_type', 'Meeting'],
  ['bounce_type', 'Bounce'],
  ['duration_seconds', 'Seconds on page'],
];

const MAX_DETAILS = 3;

/** "page_view" → "Page view"; custom types keep their name: "custom:trial_started" → "Trial started". */
function humanize(name: string): string {
  const words = name
    .replace(/^custom:/, '')
    .replace(/[_.-]+/g, ' ')
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An activity type in words. */
export function activityTitle(type: string): string {
  return ACTIVITY_TITLES[type] ?? humanize(type);
}

const isShown = (value: unknown): value is string | number | boolean =>
  (typeof value === 'string' && value !== '') ||
  typeof value === 'number' ||
  typeof value === 'boolean';

/**
 * The few facts of an activity's data worth a line: its known key fields, or for a type
 * without any (a custom one) its first plain values.
 */
export function activityDetails(data: Record<string, unknown>): { label: string; value: string }[] {
  const known = KEY_FIELDS.filter(([field]) => isShown(data[field]))
    // A form's name says more than its id: one line a label.
    .filter(([, label], i, present) => present.findIndex(([, other]) => other === label) === i)
    .map(([field, label]) => ({ label, value: String(data[field]) }));
  const details =
    known.length > 0
      ? known
      : Object.entries(data)
          .filter(([, value]) => isShown(value))
          .map(([field, value]) => ({ label: humanize(field), value: String(value) }));
  return details.slice(0, MAX_DETAILS);
}
