import { type Static, Type } from 'typebox';
import { PageQuery, pageSchema } from '../../http/pagination.js';
import { DateTime, Uuid } from '../../http/schema-types.js';
import { ALERT_RULE_KINDS, GRADE_PATTERN } from './alert-rules.js';

const Kind = Type.Enum([...ALERT_RULE_KINDS], {
  description:
    'score_above: the score rises to `threshold` or more; score_below: it falls below ' +
    '`threshold`; grade_is: the grade becomes `grade`; becomes_mql: the score reaches the MQL ' +
    'line `threshold` for the first time in the lead’s life. Each fires once per crossing.',
});
const Threshold = Type.Integer({
  minimum: 1,
  maximum: 100,
  description: 'the score line (every kind but grade_is)',
});
const Grade = Type.String({
  pattern: GRADE_PATTERN,
  description: 'fit letter A–D then engagement digit 1–4, e.g. A1 (grade_is only)',
});

export const CreateAlertRuleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255 }),
    kind: Kind,
    threshold: Type.Optional(Threshold),
    grade: Type.Optional(Grade),
    isActive: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

export const PatchAlertRuleBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    kind: Type.Optional(Kind),
    threshold: Type.Optional(Type.Union([Threshold, Type.Null()])),
    grade: Type.Optional(Type.Union([Grade, Type.Null()])),
    isActive: Type.Optional(Type.Boolean()),
  },
  {
    additionalProperties: false,
    description:
      'Only the fields sent change. Changing `kind` drops the threshold or grade the new kind does not use.',
  },
);

export const AlertRuleParams = Type.Object({ id: Uuid });

export const ListQuery = Type.Object(PageQuery, { additionalProperties: false });

export const AlertRuleSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: Kind,
  threshold: Type.Union([Type.Integer(), Type.Null()]),
  grade: Type.Union([Type.String(), Type.Null()]),
  isActive: Type.Boolean(),
  createdBy: Type.Union([Uuid, Type.Null()]),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const AlertSchema = Type.Object({
  id: Uuid,
  alertRuleId: Type.Union([Uuid, Type.Null()], { description: 'null once the rule is deleted' }),
  leadId: Uuid,
  kind: Kind,
  message: Type.String(),
  score: Type.Integer(),
  previousScore: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: DateTime,
});

export const AlertRulePageSchema = pageSchema(AlertRuleSchema);
export const AlertPageSchema = pageSchema(AlertSchema);

export type CreateAlertRuleInput = Static<typeof CreateAlertRuleBody>;
export type PatchAlertRuleInput = Static<typeof PatchAlertRuleBody>;
export type AlertRuleView = Static<typeof AlertRuleSchema>;
export type Alert = Static<typeof AlertSchema>;
