/**
 * Checks one activity item completely before anything touches the database, so a batch
 * can store its good items and report each bad one with its reason. Validation uses
 * TypeBox's compiler (`typebox/compile`), not Fastify's Ajv: batch items are not checked
 * by the route schema, and one code path serves both routes.
 */
import { Compile } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';
import type { ErrorDefinition, FieldError } from '../../http/errors.js';
import { ActivityErrors } from './activities.errors.js';
import { type ActivityItem, ActivityItemSchema } from './activities.schemas.js';
import {
  ACTIVITY_TYPES,
  dataValidatorFor,
  MAX_ACTIVITY_DATA_BYTES,
} from './activities.vocabulary.js';

const FUTURE_TOLERANCE_MS = 5 * 60_000;
const itemValidator = Compile(ActivityItemSchema);

// PostgreSQL cannot store U+0000 or an unpaired surrogate in text or jsonb, and JSON.stringify
// writes both as \u escapes (an even run of backslashes before one means it is not an escape).
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;

export interface ValidActivity {
  readonly lead: Pick<ActivityItem, 'leadId' | 'leadEmail' | 'createLead'>;
  readonly type: string;
  readonly timestamp: Date;
  readonly idempotencyKey: string | null;
  /** As stored: the item's data with its `source` as `_source`. */
  readonly data: Record<string, unknown>;
}

export interface ActivityRejection {
  readonly error: ErrorDefinition;
  readonly errors: FieldError[];
}

export type CheckedActivity =
  | { readonly ok: true; readonly activity: ValidActivity }
  | { readonly ok: false; readonly rejection: ActivityRejection };

export function checkActivity(item: unknown, now: Date): CheckedActivity {
  if (!itemValidator.Check(item)) {
    return reject(ActivityErrors.INVALID_ITEM, fieldErrors(itemValidator.Errors(item)));
  }
  if (Boolean(item.leadId) === Boolean(item.leadEmail)) {
    return reject(ActivityErrors.INVALID_ITEM, [
      fieldError('leadId', 'give exactly one of leadId and leadEmail'),
    ]);
  }
  if (item.createLead && !item.leadEmail) {
    return reject(ActivityErrors.INVALID_ITEM, [
      fieldError('createLead', 'needs leadEmail: a lead is created from its email'),
    ]);
  }
  const validator = dataValidatorFor(item.type);
  if (!validator) {
    return reject(ActivityErrors.UNKNOWN_TYPE, [
      fieldError(
        'type',
        `'${item.type}' is not an activity type; use one of ${Object.keys(ACTIVITY_TYPES).join(', ')} or custom:<name>`,
      ),
    ]);
  }
  const timestamp = new Date(item.timestamp);
  if (timestamp.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    return reject(ActivityErrors.FUTURE_TIMESTAMP, [
      fieldError('timestamp', `is more than 5 minutes after the server time ${now.toISOString()}`),
    ]);
  }
  const given = item.data ?? {};
  if (!validator.Check(given)) {
    return reject(ActivityErrors.INVALID_DATA, fieldErrors(validator.Errors(given), ['data']));
  }
  const data = { ...given, ...(item.source !== undefined && { _source: item.source }) };
  const bytes = Buffer.byteLength(JSON.stringify(data));
  if (bytes > MAX_ACTIVITY_DATA_BYTES) {
    return reject(ActivityErrors.INVALID_DATA, [
      fieldError('data', `serialises to ${bytes} bytes; at most ${MAX_ACTIVITY_DATA_BYTES}`),
    ]);
  }
  if (UNSTORABLE_ESCAPE.test(JSON.stringify(item))) {
    return reject(ActivityErrors.INVALID_ITEM, [
      fieldError('(root)', 'contains a NUL character or an unpaired surrogate'),
    ]);
  }
  return {
    ok: true,
    activity: {
      lead: { leadId: item.leadId, leadEmail: item.leadEmail, createLead: item.createLead },
      type: item.type,
      timestamp,
      idempotencyKey: item.idempotencyKey ?? null,
      data,
    },
  };
}

function reject(error: ErrorDefinition, errors: FieldError[]): CheckedActivity {
  return { ok: false, rejection: { error, errors } };
}

function fieldError(field: string, message: string): FieldError {
  return { in: 'body', field, message };
}

/** TypeBox issues as "which field, what is wrong", in the same terms as the problem handler's. */
function fieldErrors(issues: TLocalizedValidationError[], prefix: string[] = []): FieldError[] {
  return issues.flatMap((issue) => {
    const path = [
      ...prefix,
      ...issue.instancePath
        .split('/')
        .slice(1)
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')),
    ];
    const at = (...more: string[]) => [...path, ...more].join('.') || '(root)';
    switch (issue.keyword) {
      case 'required':
        return issue.params.requiredProperties.map((name) => fieldError(at(name), 'is required'));
      case 'additionalProperties':
        return issue.params.additionalProperties.map((name) =>
          fieldError(at(name), 'is not an allowed property'),
        );
      // The `false` schema behind additionalProperties: already reported by name above.
      case 'boolean':
        return [];
      default:
        return [fieldError(at(), issue.message)];
    }
  });
}
