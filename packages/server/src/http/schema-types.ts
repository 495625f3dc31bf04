/** Schema pieces every module's API contract uses, so that they read the same everywhere. */
import { Type } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const DateTime = Type.String({ format: 'date-time' });
export const JsonObject = Type.Record(Type.String(), Type.Unknown());

/** The schema or null (a field that is always present, maybe empty). */
export const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** A string of at most `maxLength` characters. */
export const text = (maxLength: number) => Type.String({ maxLength });
