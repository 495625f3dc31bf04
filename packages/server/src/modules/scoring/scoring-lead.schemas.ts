// The contract of POST /scoring/score-lead.
import { type Static, Type } from 'typebox';
import { DateTime, nullable, text, Uuid } from '../../http/schema-types.js';
import { MODEL_ALGORITHMS } from '../../pipeline/scoring-model.js';

export const MAX_SCORED_ACTIVITIES = 10_000;

/** A lead that is not stored: the attributes the features read (see POST /leads). */
const AdHocLead = Type.Object(
  {
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    company: Type.Optional(text(255)),
    jobTitle: Type.Optional(text(255)),
    source: Type.Optional(text(100)),
    industry: Type.Optional(text(100)),
    country: Type.Optional(
      Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 code' }),
    ),
    companySize: Type.Optional(Type.Integer({ minimum: 0 })),
    attributes: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'free-form custom attributes (technographics such as `crm`)',
      }),
    ),
  },
  { additionalProperties: false },
);

const AdHocActivity = Type.Object(
  {
    type: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'an activity type of the vocabulary, or `custom:<name>`',
    }),
    timestamp: DateTime,
    data: Type.Optional(Type.Object({})),
  },
  { additionalProperties: false },
);

export const ScoreLeadBody = Type.Object(
  {
    leadId: Type.Optional({
      ...Uuid,
      description: 'a stored lead of the organisation, scored from its attributes and activities',
    }),
    lead: Type.Optional({
      ...AdHocLead,
      description: 'a lead that is not stored, scored as given',
    }),
    activities: Type.Optional(
      Type.Array(AdHocActivity, {
        maxItems: MAX_SCORED_ACTIVITIES,
        description:
          "what the lead did; with `leadId`, added to the stored lead's activities (what if it did this too?)",
      }),
    ),
    modelId: Type.Optional({
      ...Uuid,
      description:
        'a version of the organisation to score with (a challenger, a retired one…); the active model by default',
    }),
    asOf: Type.Optional({
      ...DateTime,
      description: 'score as of this time (activities after it are left out); now by default',
    }),
    reasons: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 10, default: 3, description: 'reasons on each side' }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Scores a lead without storing anything: `leadId` or `lead` (exactly one), and activities.',
  },
);
export type ScoreLeadInput = Static<typeof ScoreLeadBody>;

export const LeadScoreResultSchema = Type.Object({
  leadId: nullable(Uuid),
  modelId: nullable({ ...Uuid, description: 'null: the built-in default rules' }),
  algorithm: Type.Enum([...MODEL_ALGORITHMS]),
  asOf: DateTime,
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  confidence: nullable(Type.Number({ minimum: 0, maximum: 1 })),
  breakdown: {
    ...Type.Record(Type.String(), Type.Unknown()),
    description: 'as `lead_scores.score_breakdown`: the parts add up to the score',
  },
  reasons: Type.Object({
    positive: Type.Array(Type.String()),
    negative: Type.Array(Type.String()),
  }),
});
export type LeadScoreResult = Static<typeof LeadScoreResultSchema>;
