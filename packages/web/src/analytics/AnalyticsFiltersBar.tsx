import { Alert, Button, MenuItem, Stack, TextField } from '@mui/material';
import { useGetConversionRatesQuery } from './analytics.api';
import { type FilterForm, filterProblem, isFiltered, NO_FILTERS } from './analytics-filters';

/** The sources a user can filter by: those the organisation's leads come from. */
function useSourceOptions(): string[] {
  // The unfiltered conversion report lists every source (most leads first); the page asks for
  // it anyway while no filter is set, so this costs no extra request then.
  const { data } = useGetConversionRatesQuery({});
  return (data?.bySource ?? []).flatMap((row) => (row.source === null ? [] : [row.source]));
}

/** Which leads the analytics page counts: by source and by when they were created. */
export function AnalyticsFiltersBar({
  form,
  onChange,
}: {
  form: FilterForm;
  onChange: (form: FilterForm) => void;
}) {
  const sources = useSourceOptions();
  const problem = filterProblem(form);
  return (
    <Stack spacing={1}>
      <Stack
        direction={{ xs: 'column', sm: 'row' }}
        spacing={2}
        sx={{ alignItems: { sm: 'center' } }}
      >
        <TextField
          select
          label="Sources"
          value={form.sources}
          onChange={(event) => {
            const value = event.target.value as unknown as string[] | string;
            onChange({ ...form, sources: typeof value === 'string' ? value.split(',') : value });
          }}
          slotProps={{
            select: {
              multiple: true,
              renderValue: (selected) =>
                (selected as string[]).length === 0
                  ? 'All sources'
                  : (selected as string[]).join(', '),
              displayEmpty: true,
            },
            inputLabel: { shrink: true },
          }}
          sx={{ minWidth: 200, flex: 1 }}
        >
          {sources.map((source) => (
            <MenuItem key={source} value={source}>
              {source}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          type="date"
          label="Created from"
          value={form.createdFrom}
          onChange={(event) => onChange({ ...form, createdFrom: event.target.value })}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          type="date"
          label="Created to"
          value={form.createdTo}
          onChange={(event) => onChange({ ...form, createdTo: event.target.value })}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <Button disabled={!isFiltered(form)} onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </Button>
      </Stack>
      {problem && <Alert severity="warning">{problem}</Alert>}
    </Stack>
  );
}
