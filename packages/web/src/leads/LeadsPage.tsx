import {
  Box,
  Button,
  Checkbox,
  LinearProgress,
  MenuItem,
  Link as MuiLink,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import {
  LEAD_STATUSES,
  type Lead,
  type LeadSort,
  type LeadStatus,
  useListLeadsQuery,
} from '../api/api';
import { useCan } from '../auth/permissions';
import { LoadError } from '../layout/LoadError';
import { memberName, useListMembersQuery } from '../users/users.api';
import { BulkActions } from './BulkActions';
import { ExportButton } from './ExportButton';
import { ScoreChip } from './ScoreChip';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

const SORTS: readonly { value: LeadSort; label: string }[] = [
  { value: '-score', label: 'Highest score' },
  { value: 'score', label: 'Lowest score' },
  { value: '-lastActivity', label: 'Latest activity' },
  { value: '-created', label: 'Newest' },
  { value: 'created', label: 'Oldest' },
];

const nameOf = (lead: Lead) =>
  [lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.email;

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/** What the list shows: typing waits a moment before it asks the server. */
function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * The organisation's leads, a server page at a time (cursor pagination: the way back is the
 * cursors already followed), searchable, filterable by status and sortable; scores change live.
 * Leads of the page on screen can be selected and changed together; the whole filtered list
 * can be exported.
 */
export function LeadsPage() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<LeadStatus | ''>('');
  const [sort, setSort] = useState<LeadSort>('-score');
  const q = useDebounced(search.trim(), SEARCH_DELAY_MS);
  // The cursors followed so far belong to one question; a new one starts from the first page.
  const question = JSON.stringify([q, status, sort]);
  const [paging, setPaging] = useState({ question, cursors: [] as string[] });
  const cursors = paging.question === question ? paging.cursors : [];
  const followCursors = (next: string[]) => setPaging({ question, cursors: next });

  const { data, error, isFetching, refetch } = useListLeadsQuery({
    limit: PAGE_SIZE,
    sort,
    cursor: cursors.at(-1),
    q: q || undefined,
    status: status || undefined,
  });
  const page = cursors.length + 1;
  const canWrite = useCan('leads:write');
  const canExport = useCan('exports:run');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const shown = data?.data ?? [];
  const shownSelected = shown.filter((lead) => selected.has(lead.id)).map((lead) => lead.id);
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const toggleAll = () =>
    setSelected(
      shownSelected.length === shown.length ? new Set() : new Set(shown.map((l) => l.id)),
    );
  const { data: members } = useListMembersQuery();
  const ownerNames = useMemo(
    () => new Map(members?.map((member) => [member.id, memberName(member)])),
    [members],
  );

  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography variant="h5" component="h1">
          Leads
        </Typography>
        {canExport && <ExportButton view={{ q: q || undefined, status: status || undefined }} />}
      </Stack>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField
          label="Search name, email or company"
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          sx={{ flex: 1 }}
        />
        <TextField
          select
          label="Status"
          value={status}
          onChange={(event) => setStatus(event.target.value as LeadStatus | '')}
          sx={{ minWidth: 160 }}
        >
          <MenuItem value="">Any status</MenuItem>
          {LEAD_STATUSES.map((value) => (
            <MenuItem key={value} value={value}>
              {value}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Sort by"
          value={sort}
          onChange={(event) => setSort(event.target.value as LeadSort)}
          sx={{ minWidth: 180 }}
        >
          {SORTS.map((option) => (
            <MenuItem key={option.value} value={option.value}>
              {option.label}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {canWrite && shownSelected.length > 0 && (
        <BulkActions ids={shownSelected} onDone={() => setSelected(new Set())} />
      )}
      <Paper>
        <Box sx={{ height: 4 }}>{isFetching && <LinearProgress aria-label="Loading leads" />}</Box>
        <TableContainer>
          <Table size="small" aria-label="Leads">
            <TableHead>
              <TableRow>
                {canWrite && (
                  <TableCell padding="checkbox">
                    <Checkbox
                      checked={shown.length > 0 && shownSelected.length === shown.length}
                      indeterminate={
                        shownSelected.length > 0 && shownSelected.length < shown.length
                      }
                      onChange={toggleAll}
                      slotProps={{ input: { 'aria-label': 'Select every lead on this page' } }}
                    />
                  </TableCell>
                )}
                <TableCell>Lead</TableCell>
                <TableCell>Score</TableCell>
                <TableCell>Status</TableCell>
                <TableCell sx={{ display: { xs: 'none', lg: 'table-cell' } }}>Owner</TableCell>
                <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>Company</TableCell>
                <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>Source</TableCell>
                <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
                  Last activity
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data?.data.map((lead) => (
                <TableRow
                  key={lead.id}
                  hover
                  data-lead-id={lead.id}
                  selected={selected.has(lead.id)}
                >
                  {canWrite && (
                    <TableCell padding="checkbox">
                      <Checkbox
                        checked={selected.has(lead.id)}
                        onChange={() => toggle(lead.id)}
                        slotProps={{ input: { 'aria-label': `Select ${nameOf(lead)}` } }}
                      />
                    </TableCell>
                  )}
                  <TableCell>
                    <MuiLink component={Link} to={`/leads/${lead.id}`} variant="body2">
                      {nameOf(lead)}
                    </MuiLink>
                    <Typography
                      variant="caption"
                      color="text.secondary"
                      sx={{ display: { xs: 'none', sm: 'block' } }}
                    >
                      {lead.email}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <ScoreChip score={lead.currentScore} grade={lead.currentGrade} />
                  </TableCell>
                  <TableCell data-field="status">{lead.status}</TableCell>
                  <TableCell sx={{ display: { xs: 'none', lg: 'table-cell' } }}>
                    {lead.ownerId ? (ownerNames.get(lead.ownerId) ?? '—') : 'Unassigned'}
                  </TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                    {lead.company ?? '—'}
                  </TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                    {lead.source ?? '—'}
                  </TableCell>
                  <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
                    {when(lead.lastActivityAt)}
                  </TableCell>
                </TableRow>
              ))}
              {data && data.data.length === 0 && (
                <TableRow>
                  <TableCell colSpan={8}>
                    <Typography sx={{ py: 4, textAlign: 'center' }} color="text.secondary">
                      {q || status ? 'No lead matches these filters.' : 'No leads yet.'}
                    </Typography>
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </TableContainer>
        <Stack
          direction="row"
          spacing={1}
          sx={{ p: 1, justifyContent: 'flex-end', alignItems: 'center' }}
        >
          <Typography variant="body2" color="text.secondary">
            Page {page}
          </Typography>
          <Button
            disabled={cursors.length === 0}
            onClick={() => followCursors(cursors.slice(0, -1))}
          >
            Previous
          </Button>
          <Button
            disabled={!data?.nextCursor}
            onClick={() => data?.nextCursor && followCursors([...cursors, data.nextCursor])}
          >
            Next
          </Button>
        </Stack>
      </Paper>
    </Stack>
  );
}
