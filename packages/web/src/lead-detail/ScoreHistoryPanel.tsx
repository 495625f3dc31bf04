import {
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
} from '@mui/material';
import { LoadError } from '../layout/LoadError';
import { activityTitle } from './activity-description';
import { formatDateTime, signedPoints } from './format';
import { type ScoreHistoryEntry, useListLeadScoreHistoryInfiniteQuery } from './lead-detail.api';
import { ScoreHistoryChart } from './ScoreHistoryChart';
import { LoadMore, Section, SectionEmpty, SectionLoading } from './Section';

const modelName = (entry: ScoreHistoryEntry) =>
  entry.model ? `${entry.model.name} v${entry.model.version}` : 'Default rules';

/** Why the score changed, in the words of the API's `cause`. */
function causeOf(entry: ScoreHistoryEntry): string {
  switch (entry.cause) {
    case 'activity':
      return entry.activity
        ? `${activityTitle(entry.activity.type)} (${formatDateTime(entry.activity.timestamp)})`
        : 'New activity';
    case 'rescore':
      return 'Rescored: the model or its rules changed';
    case 'decay':
      return 'No recent activity: engagement faded';
    case null:
      return '—';
  }
}

/** Every change of the lead's score, newest first: a line chart and the changes as a table. */
export function ScoreHistoryPanel({ leadId }: { leadId: string }) {
  const { data, error, isLoading, refetch, hasNextPage, fetchNextPage, isFetchingNextPage } =
    useListLeadScoreHistoryInfiniteQuery(leadId);
  const entries = data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <Section title="Score history" labelId="lead-score-history-heading">
      {isLoading && <SectionLoading label="Loading score history" />}
      {error && <LoadError error={error} onRetry={refetch} />}
      {data && entries.length === 0 && <SectionEmpty>The score has not changed yet.</SectionEmpty>}
      {entries.length > 0 && (
        <Stack spacing={2}>
          <ScoreHistoryChart newestFirst={entries} />
          <TableContainer>
            <Table size="small" aria-label="Score changes">
              <TableHead>
                <TableRow>
                  <TableCell>When</TableCell>
                  <TableCell align="right">Score</TableCell>
                  <TableCell>Cause</TableCell>
                  <TableCell>Model</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {entries.map((entry, i) => {
                  const previous = entries[i + 1];
                  return (
                    <TableRow key={entry.id}>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(entry.calculatedAt)}
                      </TableCell>
                      <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                        {entry.score}
                        {previous && ` (${signedPoints(entry.score - previous.score)})`}
                      </TableCell>
                      <TableCell sx={{ minWidth: 180 }}>{causeOf(entry)}</TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>{modelName(entry)}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </TableContainer>
          <LoadMore hasMore={hasNextPage} loading={isFetchingNextPage} onLoad={fetchNextPage}>
            Show older changes
          </LoadMore>
        </Stack>
      )}
    </Section>
  );
}
