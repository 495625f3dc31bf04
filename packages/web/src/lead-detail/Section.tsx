import { Box, Button, CircularProgress, Paper, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';

/** One titled panel of the lead page; `labelId` ties the heading to the region for readers. */
export function Section({
  title,
  labelId,
  children,
}: {
  title: string;
  labelId: string;
  children: ReactNode;
}) {
  return (
    <Paper component="section" aria-labelledby={labelId} sx={{ p: 2, minWidth: 0 }}>
      <Typography id={labelId} variant="h6" component="h2" gutterBottom>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

export function SectionLoading({ label }: { label: string }) {
  return (
    <Box sx={{ display: 'grid', placeItems: 'center', py: 4 }}>
      <CircularProgress aria-label={label} />
    </Box>
  );
}

export function SectionEmpty({ children }: { children: ReactNode }) {
  return (
    <Typography color="text.secondary" sx={{ py: 2 }}>
      {children}
    </Typography>
  );
}

/** The way to the next page of a newest-first list, while there is one. */
export function LoadMore({
  hasMore,
  loading,
  onLoad,
  children,
}: {
  hasMore: boolean;
  loading: boolean;
  onLoad: () => void;
  children: string;
}) {
  if (!hasMore) return null;
  return (
    <Stack direction="row" sx={{ justifyContent: 'center', pt: 1 }}>
      <Button onClick={onLoad} disabled={loading}>
        {loading ? 'Loading…' : children}
      </Button>
    </Stack>
  );
}
