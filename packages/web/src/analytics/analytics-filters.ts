/** Which leads a report counts (GET /analytics/* filters); the created range is `from ≤ t < to`. */
export interface LeadFilters {
  source?: string[] | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
}

/**
 * The address of a report for these filters. Sources repeat (`?source=a&source=b`), which
 * fetchBaseQuery's `params` would join with commas instead.
 */
export function reportUrl(path: string, filters: LeadFilters & { asOf?: string }): string {
  const search = new URLSearchParams();
  for (const source of filters.source ?? []) search.append('source', source);
  if (filters.createdFrom) search.set('createdFrom', filters.createdFrom);
  if (filters.createdTo) search.set('createdTo', filters.createdTo);
  if (filters.asOf) search.set('asOf', filters.asOf);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** The filter form as typed: sources picked, and calendar days (YYYY-MM-DD) or '' for none. */
export interface FilterForm {
  sources: string[];
  createdFrom: string;
  createdTo: string;
}

export const NO_FILTERS: FilterForm = { sources: [], createdFrom: '', createdTo: '' };

export const isFiltered = (form: FilterForm) =>
  form.sources.length > 0 || form.createdFrom !== '' || form.createdTo !== '';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The API's filters for the form. Days are UTC days, as the API's monthly cohorts are; the
 * "to" day is included, so the API's exclusive bound is the next midnight.
 */
export function toLeadFilters(form: FilterForm): LeadFilters {
  const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString();
  return {
    ...(form.sources.length > 0 && { source: form.sources }),
    ...(form.createdFrom && { createdFrom: `${form.createdFrom}T00:00:00.000Z` }),
    ...(form.createdTo && { createdTo: nextDay(form.createdTo) }),
  };
}

/** Why the form cannot be asked as it is, or null. */
export function filterProblem(form: FilterForm): string | null {
  if (form.createdFrom && form.createdTo && form.createdFrom > form.createdTo) {
    return 'The “created from” day comes after the “created to” day.';
  }
  return null;
}
