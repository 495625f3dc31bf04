/**
 * The activity types Leadscore understands, each with a JSON Schema for its `data`.
 * Schemas name the fields the scorer reads and require only what makes the type mean
 * something (a page view without a URL is noise); other fields are kept as sent, so a
 * source can pass along what it has. Types outside the list are custom: `custom:<name>`.
 */
import { type TObject, Type } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';

const Url = Type.String({ minLength: 1, maxLength: 2048 });
const Text = Type.String({ maxLength: 1000 });
const Id = Type.String({ minLength: 1, maxLength: 255 });
const Count = Type.Number({ minimum: 0 });

export const ACTIVITY_TYPES = {
  page_view: {
    description: 'A visit to a page of the website',
    data: Type.Object({
      url: Url,
      title: Type.Optional(Text),
      duration_seconds: Type.Optional(Count),
      referrer: Type.Optional(Url),
    }),
  },
  email_open: {
    description: 'A marketing email was opened',
    data: Type.Object({ campaign_id: Type.Optional(Id), subject: Type.Optional(Text) }),
  },
  email_click: {
    description: 'A link in a marketing email was clicked',
    data: Type.Object({ url: Url, campaign_id: Type.Optional(Id) }),
  },
  form_submit: {
    description: 'A form was submitted',
    data: Type.Object({ form_id: Id, form_name: Type.Optional(Text) }),
  },
  demo_request: {
    description: 'A demo was requested',
    data: Type.Object({ form_id: Type.Optional(Id) }),
  },
  pricing_view: {
    description: 'The pricing page (or a plan on it) was viewed',
    data: Type.Object({ url: Type.Optional(Url), plan: Type.Optional(Text) }),
  },
  content_download: {
    description: 'A report, e-book, whitepaper or similar was downloaded',
    data: Type.Object({ asset: Text, asset_type: Type.Optional(Text) }),
  },
  webinar_attended: {
    description: 'A webinar was attended',
    data: Type.Object({ webinar_id: Id, minutes_attended: Type.Optional(Count) }),
  },
  meeting_booked: {
    description: 'A meeting with sales was booked',
    data: Type.Object({ meeting_type: Type.Optional(Text) }),
  },
  email_bounce: {
    description: 'An email to the lead bounced',
    data: Type.Object({
      campaign_id: Type.Optional(Id),
      bounce_type: Type.Optional(Type.Enum(['hard', 'soft'])),
    }),
  },
  unsubscribe: {
    description: 'The lead unsubscribed from emails',
    data: Type.Object({ campaign_id: Type.Optional(Id) }),
  },
} satisfies Record<string, { description: string; data: TObject }>;

export const CUSTOM_ACTIVITY_TYPE = /^custom:[a-z0-9_.-]{1,64}$/;

/** Serialised `data` above this is refused: activities are events, not documents. */
export const MAX_ACTIVITY_DATA_BYTES = 16 * 1024;

// Compiled once at load: ingestion checks up to 1,000 items per request.
const validators = new Map<string, Validator>(
  Object.entries(ACTIVITY_TYPES).map(([type, { data }]) => [type, Compile(data)]),
);
const customValidator = Compile(Type.Object({}));

/** The validator of a type's data, or undefined when the type is not in the vocabulary. */
export function dataValidatorFor(type: string): Validator | undefined {
  return validators.get(type) ?? (CUSTOM_ACTIVITY_TYPE.test(type) ? customValidator : undefined);
}

/** The vocabulary as Markdown for the OpenAPI description, generated so it cannot drift. */
export function describeVocabulary(): string {
  const lines = Object.entries(ACTIVITY_TYPES).map(([type, { description, data }]) => {
    const required = new Set<string>(data.required ?? []);
    const fields = Object.keys(data.properties)
      .map((field) => (required.has(field) ? `\`${field}\` (required)` : `\`${field}\``))
      .join(', ');
    return `- \`${type}\`: ${description}. \`data\`: ${fields}.`;
  });
  return [
    'Activity types and the fields of their `data` (other fields are kept as sent):',
    '',
    ...lines,
    '- `custom:<name>` (name: 1–64 of `a-z 0-9 _ . -`): any object.',
    '',
    `\`data\` may serialise to at most ${MAX_ACTIVITY_DATA_BYTES / 1024} KB. \`timestamp\` is when it ` +
      'happened (ISO 8601 with offset); more than 5 minutes in the future is refused. ' +
      '`source` (the sending system) is stored with the data as `_source`.',
  ].join('\n');
}
