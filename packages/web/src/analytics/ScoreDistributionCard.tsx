import { Box, Typography } from '@mui/material';
import { useGetScoreDistributionQuery } from './analytics.api';
import type { LeadFilters } from './analytics-filters';
import { CountChart } from './CountChart';
import { bandColour, bandSeries, gradeSeries } from './chart-data';
import { NumbersDisclosure } from './DataTable';
import { ReportCard } from './ReportCard';

const GRADE_COLOUR = '#7b1fa2aa';

/** How the leads' current scores spread: per 10-point band, and per grade when the model grades. */
export function ScoreDistributionCard({ filters }: { filters: LeadFilters }) {
  const query = useGetScoreDistributionQuery(filters);
  const distribution = query.data;
  const bands = distribution && bandSeries(distribution);
  const grades = distribution && gradeSeries(distribution);
  return (
    <ReportCard
      title="Score distribution"
      description="The leads’ current scores, per 10-point band and per grade."
      state={query}
      isEmpty={distribution && distribution.total === 0}
      emptyText="No leads match these filters."
    >
      {distribution && bands && grades && (
        <>
          <Typography variant="body2" aria-label="Leads counted">
            {distribution.total} leads: {distribution.scored} scored, {distribution.unscored} not
            scored yet.
          </Typography>
          <CountChart
            series={bands}
            colours={bands.labels.map((_, k) => bandColour(k, bands.labels.length))}
            description="Scored leads per score band"
          />
          <NumbersDisclosure
            label="Leads per score band"
            columns={[{ header: 'Band' }, { header: 'Leads', numeric: true }]}
            rows={bands.labels.map((label, k) => ({ key: label, cells: [label, bands.values[k]] }))}
          />
          <Typography variant="subtitle2" component="h3">
            By grade
          </Typography>
          {grades.labels.length === 0 ? (
            <Typography variant="body2" color="text.secondary">
              No lead is graded: grades (A1–D4) come from a rules model, and these scores come from
              a trained model.
            </Typography>
          ) : (
            <Box>
              <CountChart
                series={grades}
                colours={GRADE_COLOUR}
                description="Scored leads per grade"
              />
              <NumbersDisclosure
                label="Leads per grade"
                columns={[{ header: 'Grade' }, { header: 'Leads', numeric: true }]}
                rows={grades.labels.map((label, k) => ({
                  key: label,
                  cells: [label, grades.values[k]],
                }))}
              />
              {distribution.ungraded > 0 && (
                <Typography variant="body2" color="text.secondary">
                  {distribution.ungraded} scored leads have no grade.
                </Typography>
              )}
            </Box>
          )}
        </>
      )}
    </ReportCard>
  );
}
