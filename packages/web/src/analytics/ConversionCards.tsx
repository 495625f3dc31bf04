import { Typography } from '@mui/material';
import { type RateCounts, useGetConversionRatesQuery } from './analytics.api';
import type { LeadFilters } from './analytics-filters';
import { formatInterval, formatRate, type RateRow, rateSeries } from './chart-data';
import { type DataColumn, DataTable } from './DataTable';
import { RateChart } from './RateChart';
import { ReportCard } from './ReportCard';

const NO_SOURCE = '(no source)';

/** The table beside a rate chart: the rate, its interval and the counts it comes from. */
function RateTable({
  label,
  dimension,
  rows,
}: {
  label: string;
  dimension: string;
  rows: readonly RateRow[];
}) {
  const withOpen = rows.some((row) => row.open !== undefined);
  const columns: DataColumn[] = [
    { header: dimension },
    { header: 'Rate', numeric: true },
    { header: '95% interval', numeric: true },
    { header: 'Converted', numeric: true },
    { header: 'Lost', numeric: true },
    ...(withOpen ? [{ header: 'Open', numeric: true }] : []),
  ];
  return (
    <DataTable
      label={label}
      columns={columns}
      rows={rows.map((row) => ({
        key: row.label,
        cells: [
          row.label,
          formatRate(row.rate),
          formatInterval(row.interval),
          row.converted,
          row.lost,
          ...(withOpen ? [row.open] : []),
        ],
      }))}
    />
  );
}

function overallSentence(overall: RateCounts): string {
  return (
    `Overall ${formatRate(overall.rate)} (95% interval ${formatInterval(overall.interval)}): ` +
    `${overall.converted} converted, ${overall.lost} lost, ${overall.open} still open.`
  );
}

const RATE_DEFINITION = 'Converted ÷ (converted + lost); open leads are not counted.';

/** Conversion by the score band each lead had when it was converted or lost. */
export function ConversionByBandCard({ filters }: { filters: LeadFilters }) {
  const query = useGetConversionRatesQuery(filters);
  const rates = query.data;
  const rows = rates?.byScoreBand;
  return (
    <ReportCard
      title="Conversion by score band"
      description={`By the lead’s score when it was decided. ${RATE_DEFINITION}`}
      state={query}
      isEmpty={rates && rates.overall.decided === 0}
      emptyText="No lead matching these filters has been converted or lost yet."
    >
      {rates && rows && (
        <>
          <Typography variant="body2" aria-label="Overall conversion">
            {overallSentence(rates.overall)}
          </Typography>
          <RateChart series={rateSeries(rows)} description="Conversion rate per score band" />
          <RateTable label="Conversion by score band" dimension="Score band" rows={rows} />
        </>
      )}
    </ReportCard>
  );
}

/** Conversion per lead source, the sources with most leads first. */
export function ConversionBySourceCard({ filters }: { filters: LeadFilters }) {
  const query = useGetConversionRatesQuery(filters);
  const rates = query.data;
  const rows = rates?.bySource.map((source) => ({ ...source, label: source.source ?? NO_SOURCE }));
  return (
    <ReportCard
      title="Conversion by source"
      description={RATE_DEFINITION}
      state={query}
      isEmpty={rates && rates.bySource.length === 0}
      emptyText="No leads match these filters."
    >
      {rates && rows && (
        <>
          <RateChart
            series={rateSeries(rows)}
            horizontal
            description="Conversion rate per lead source"
          />
          <RateTable label="Conversion by source" dimension="Source" rows={rows} />
          {rates.sourcesOmitted > 0 && (
            <Typography variant="body2" color="text.secondary">
              {rates.sourcesOmitted} smaller sources are left out.
            </Typography>
          )}
        </>
      )}
    </ReportCard>
  );
}
