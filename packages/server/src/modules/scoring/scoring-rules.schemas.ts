// The contract of the rules editor: GET|PUT /scoring/rules and POST /scoring/rules/preview.
import { type Static, Type } from 'typebox';
import { DateTime, nullable, Uuid } from '../../http/schema-types.js';
import { ModelSchema, RescoreOfChange, RulesJson } from './scoring.schemas.js';

export const RulesSchema = Type.Object({
  model: nullable({
    ...ModelSchema,
    description: 'the version holding these rules; null for the built-in default',
  }),
  active: Type.Boolean({ description: 'whether these rules score the organisation’s leads' }),
  rules: { ...Type.Unknown(), description: 'the points model (leadscore-rules JSON)' },
});
export type Rules = Static<typeof RulesSchema>;

export const SavedRulesSchema = Type.Object({
  ...RulesSchema.properties,
  rescore: RescoreOfChange,
});
export type SavedRules = Static<typeof SavedRulesSchema>;

export const PutRulesBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    rules: RulesJson,
  },
  { additionalProperties: false },
);
export type PutRulesInput = Static<typeof PutRulesBody>;

export const PREVIEW_MAX_BANDS = 21;

export const PreviewRulesBody = Type.Object(
  {
    rules: RulesJson,
    bands: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0, maximum: 100 }), {
        minItems: 2,
        maxItems: PREVIEW_MAX_BANDS,
        description:
          'ascending band edges from 0 to 100 (default every 10 points); band k is [edges[k], edges[k+1])',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PreviewRulesInput = Static<typeof PreviewRulesBody>;

export const PreviewSchema = Type.Object({
  leads: Type.Integer({ description: 'leads compared' }),
  totalLeads: Type.Integer({ description: 'leads of the organisation' }),
  truncated: Type.Boolean({
    description: 'only the most recently active leads were compared (there is a bound)',
  }),
  asOf: DateTime,
  bandChanges: Type.Integer({ description: 'leads whose score band would change' }),
  movedUp: Type.Integer(),
  movedDown: Type.Integer(),
  gradeChanges: nullable(
    Type.Integer({
      description: 'leads whose grade would change; null when the model in use has no grades',
    }),
  ),
  meanScoreChange: Type.Number(),
  bands: Type.Array(
    Type.Object({
      lower: Type.Integer(),
      upper: Type.Integer(),
      current: Type.Integer(),
      proposed: Type.Integer(),
    }),
  ),
  largestChanges: Type.Array(
    Type.Object({
      leadId: Uuid,
      email: Type.String(),
      currentScore: Type.Integer(),
      proposedScore: Type.Integer(),
      currentGrade: nullable(Type.String()),
      proposedGrade: nullable(Type.String()),
    }),
    { description: 'the leads whose score would move most (up to 10)' },
  ),
});
export type Preview = Static<typeof PreviewSchema>;
