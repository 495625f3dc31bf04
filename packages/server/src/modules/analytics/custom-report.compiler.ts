/**
 * Turns a checked report plan into one parameterised SELECT over the caller's leads, and the
 * rows it returns into the report. Pure: it compiles without a database, so tests can read
 * the SQL it would run.
 */
import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  sql,
} from 'kysely';
import type { DB } from '../../db/schema.js';
import type { PlannedFilter, ReportPlan } from './custom-report.planner.js';
import type { CustomReport } from './custom-report.schemas.js';

/** Builds SQL only; the query runs on the caller's transaction (see the repository). */
const builder = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

export type ReportRow = Record<string, unknown>;

// Output columns get aliases of our own: GROUP BY resolves a name to a leads column before
// an output column, so a dimension named like its column (company_size) must not be its alias.
const dimensionAlias = (index: number) => `d${index}`;
const metricAlias = (index: number) => `m${index}`;
const TOTAL_GROUPS = 'total_groups';

export function compileReport(organizationId: string, plan: ReportPlan): CompiledQuery<ReportRow> {
  const aliasOf = new Map<string, string>([
    ...plan.dimensions.map((d, i) => [d.name, dimensionAlias(i)] as const),
    ...plan.metrics.map((m, i) => [m.name, metricAlias(i)] as const),
  ]);
  const sortKeys = [
    ...plan.sort.map((key) => ({ alias: aliasOf.get(key.name) ?? '', direction: key.direction })),
    // Then the dimensions, so that ties and truncation always cut at the same place.
    ...plan.dimensions
      .filter((d) => !plan.sort.some((key) => key.name === d.name))
      .map((d) => ({ alias: aliasOf.get(d.name) ?? '', direction: 'asc' as const })),
  ];

  let query = builder
    .selectFrom('leads as l')
    .select([
      ...plan.dimensions.map((d, i) => d.field.expression.as(dimensionAlias(i))),
      ...plan.metrics.map((m, i) => m.expression.as(metricAlias(i))),
      // Counted over the groups before LIMIT applies.
      sql<number>`count(*) over ()`.as(TOTAL_GROUPS),
    ])
    .where('l.organization_id', '=', organizationId);
  for (const filter of plan.filters) query = query.where(condition(filter));
  if (plan.dimensions.length > 0) {
    query = query.groupBy(plan.dimensions.map((_, i) => sql.ref(dimensionAlias(i))));
  }
  for (const key of sortKeys) {
    query = query.orderBy(sql.ref(key.alias), (order) =>
      (key.direction === 'desc' ? order.desc() : order.asc()).nullsLast(),
    );
  }
  return query.limit(plan.limit).compile() as CompiledQuery<ReportRow>;
}

function condition(filter: PlannedFilter): RawBuilder<boolean> {
  const field = filter.field.expression;
  const [first, second] = filter.values;
  const list = sql.join(filter.values);
  switch (filter.op) {
    case 'eq':
      return sql`${field} = ${first}`;
    case 'neq':
      return sql`${field} is distinct from ${first}`;
    case 'in':
      return sql`${field} in (${list})`;
    case 'nin':
      // A lead with no value is "not in" the list too.
      return sql`coalesce(${field} not in (${list}), true)`;
    case 'gt':
      return sql`${field} > ${first}`;
    case 'gte':
      return sql`${field} >= ${first}`;
    case 'lt':
      return sql`${field} < ${first}`;
    case 'lte':
      return sql`${field} <= ${first}`;
    case 'between':
      return sql`${field} between ${first} and ${second}`;
    case 'is_null':
      return sql`${field} is null`;
    case 'is_not_null':
      return sql`${field} is not null`;
  }
}

/** The report the rows make: columns named as the client named them, bands by label. */
export function presentReport(plan: ReportPlan, rows: readonly ReportRow[]): CustomReport {
  const toCell = (value: unknown) =>
    value === null || value === undefined
      ? null
      : typeof value === 'number'
        ? value
        : String(value);
  const totalGroups = Number(rows[0]?.[TOTAL_GROUPS] ?? 0);
  return {
    dimensions: plan.dimensions.map((d) => d.name),
    metrics: plan.metrics.map((m) => m.name),
    rows: rows.map((row) =>
      Object.fromEntries([
        ...plan.dimensions.map((d, i) => {
          const key = row[dimensionAlias(i)];
          return [d.name, d.field.present ? d.field.present(key) : toCell(key)];
        }),
        ...plan.metrics.map((m, i) => [m.name, toCell(row[metricAlias(i)])]),
      ]),
    ),
    totalGroups,
    truncated: totalGroups > rows.length,
  };
}
