import { Box, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import { AnalyticsFiltersBar } from './AnalyticsFiltersBar';
import { type FilterForm, filterProblem, NO_FILTERS, toLeadFilters } from './analytics-filters';
import { BandsOverTimeCard } from './BandsOverTimeCard';
import { ConversionByBandCard, ConversionBySourceCard } from './ConversionCards';
import { ScoreDistributionCard } from './ScoreDistributionCard';

/**
 * How the organisation's scores spread and how well they predict: the score distribution, the
 * conversion rate by score band and by source with their intervals, and the bands over time.
 */
export function AnalyticsPage() {
  const [form, setForm] = useState<FilterForm>(NO_FILTERS);
  // The reports keep the last filters that make sense while the form holds ones that do not.
  const [filters, setFilters] = useState(() => toLeadFilters(NO_FILTERS));
  const changeForm = (next: FilterForm) => {
    setForm(next);
    if (!filterProblem(next)) setFilters(toLeadFilters(next));
  };
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        Analytics
      </Typography>
      <AnalyticsFiltersBar form={form} onChange={changeForm} />
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'repeat(2, minmax(0, 1fr))' },
        }}
      >
        <ScoreDistributionCard filters={filters} />
        <BandsOverTimeCard filters={filters} />
        <ConversionByBandCard filters={filters} />
        <ConversionBySourceCard filters={filters} />
      </Box>
    </Stack>
  );
}
