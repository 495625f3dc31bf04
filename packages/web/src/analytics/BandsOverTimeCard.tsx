import { useState } from 'react';
import { useGetScoreDistributionHistoryQuery } from './analytics.api';
import type { LeadFilters } from './analytics-filters';
import { bandsOverTime, lastMonthEnds } from './chart-data';
import { NumbersDisclosure } from './DataTable';
import { ReportCard } from './ReportCard';
import { StackedCountChart } from './StackedCountChart';

const MONTHS = 6;

/** Leads per score band as the scores stood at the end of each of the last six months. */
export function BandsOverTimeCard({ filters }: { filters: LeadFilters }) {
  // Fixed when the page opens: a moving "now" would make every render a new request.
  const [months] = useState(() => lastMonthEnds(new Date(), MONTHS));
  const query = useGetScoreDistributionHistoryQuery({
    ...filters,
    asOfs: months.map((month) => month.asOf),
  });
  const snapshots = query.data;
  const history = snapshots && bandsOverTime(months, snapshots);
  return (
    <ReportCard
      title="Score bands over time"
      description="Leads per score band as their scores stood at the end of each month (this month: now)."
      state={query}
      isEmpty={snapshots?.every((snapshot) => snapshot.total === 0)}
      emptyText="No leads match these filters in the last six months."
    >
      {history && snapshots && (
        <>
          <StackedCountChart
            series={history}
            description={`Leads per score band at the end of each of the last ${MONTHS} months: ${history.labels
              .map((label, k) => `${label}, ${snapshots[k]?.total} leads`)
              .join('; ')}`}
          />
          <NumbersDisclosure
            label="Leads per score band by month"
            columns={[
              { header: 'Month' },
              ...history.series.map((band) => ({ header: band.label, numeric: true })),
              { header: 'Total', numeric: true },
            ]}
            rows={history.labels.map((label, k) => ({
              key: label,
              cells: [label, ...history.series.map((band) => band.values[k]), snapshots[k]?.total],
            }))}
          />
        </>
      )}
    </ReportCard>
  );
}
