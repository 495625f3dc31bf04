import { Box, List, ListItem, ListItemText } from '@mui/material';
import { LoadError } from '../layout/LoadError';
import { activityDetails, activityTitle } from './activity-description';
import { formatDateTime } from './format';
import { type LeadActivity, useListLeadActivitiesInfiniteQuery } from './lead-detail.api';
import { LoadMore, Section, SectionEmpty, SectionLoading } from './Section';

function ActivityItem({ activity }: { activity: LeadActivity }) {
  const details = activityDetails(activity.data);
  return (
    <ListItem disableGutters divider sx={{ alignItems: 'flex-start' }}>
      <ListItemText
        primary={activityTitle(activity.type)}
        secondary={
          <>
            <Box component="time" dateTime={activity.timestamp} sx={{ display: 'block' }}>
              {formatDateTime(activity.timestamp)}
              {!activity.processed && ' · not counted in the score yet'}
            </Box>
            {details.map(({ label, value }) => (
              <Box component="span" key={label} sx={{ display: 'block', overflowWrap: 'anywhere' }}>
                {label}: {value}
              </Box>
            ))}
          </>
        }
      />
    </ListItem>
  );
}

/** What the lead did, newest first, a page at a time. */
export function ActivityTimeline({ leadId }: { leadId: string }) {
  const { data, error, isLoading, refetch, hasNextPage, fetchNextPage, isFetchingNextPage } =
    useListLeadActivitiesInfiniteQuery(leadId);
  const activities = data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <Section title="Activity" labelId="lead-activity-heading">
      {isLoading && <SectionLoading label="Loading activity" />}
      {error && <LoadError error={error} onRetry={refetch} />}
      {data && activities.length === 0 && (
        <SectionEmpty>No activity recorded for this lead yet.</SectionEmpty>
      )}
      {activities.length > 0 && (
        <>
          <List dense aria-label="Activities">
            {activities.map((activity) => (
              <ActivityItem key={activity.id} activity={activity} />
            ))}
          </List>
          <LoadMore hasMore={hasNextPage} loading={isFetchingNextPage} onLoad={fetchNextPage}>
            Show older activity
          </LoadMore>
        </>
      )}
    </Section>
  );
}
