import {
  Alert,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { formatCount } from '../models/format';
import type { RulesPreview } from './rules.api';

const scoreWithGrade = (score: number, grade: string | null) =>
  grade ? `${score} (${grade})` : String(score);

/** How the organisation's leads would move under the edited rules. */
export function PreviewResult({ preview }: { preview: RulesPreview }) {
  const change = preview.meanScoreChange;
  return (
    <Stack spacing={2} component="section" aria-labelledby="preview-heading">
      <Typography variant="h6" component="h2" id="preview-heading">
        Preview
      </Typography>
      <Alert severity={preview.bandChanges > 0 ? 'warning' : 'info'} aria-live="polite">
        <strong>
          {formatCount(preview.bandChanges)} of {formatCount(preview.leads)} leads would change
          score band
        </strong>{' '}
        ({formatCount(preview.movedUp)} up, {formatCount(preview.movedDown)} down)
        {preview.gradeChanges !== null &&
          `; ${formatCount(preview.gradeChanges)} would change grade`}
        . The mean score would{' '}
        {change === 0 ? 'not change' : `move by ${change > 0 ? '+' : ''}${change}`}.
        {preview.truncated &&
          ` Only the ${formatCount(preview.leads)} most recently active of your ${formatCount(preview.totalLeads)} leads were compared.`}
      </Alert>
      <Paper>
        <TableContainer>
          <Table size="small" aria-label="Leads per score band, now and with the edited rules">
            <TableHead>
              <TableRow>
                <TableCell>Score band</TableCell>
                <TableCell align="right">Now</TableCell>
                <TableCell align="right">With these rules</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {preview.bands.map((band) => (
                <TableRow key={band.lower}>
                  <TableCell>
                    {band.lower}–{band.upper}
                  </TableCell>
                  <TableCell align="right">{formatCount(band.current)}</TableCell>
                  <TableCell align="right">{formatCount(band.proposed)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </Paper>
      {preview.largestChanges.length > 0 && (
        <Paper>
          <TableContainer>
            <Table size="small" aria-label="Leads whose score would move most">
              <TableHead>
                <TableRow>
                  <TableCell>Lead</TableCell>
                  <TableCell align="right">Now</TableCell>
                  <TableCell align="right">With these rules</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {preview.largestChanges.map((lead) => (
                  <TableRow key={lead.leadId}>
                    <TableCell>{lead.email}</TableCell>
                    <TableCell align="right">
                      {scoreWithGrade(lead.currentScore, lead.currentGrade)}
                    </TableCell>
                    <TableCell align="right">
                      {scoreWithGrade(lead.proposedScore, lead.proposedGrade)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        </Paper>
      )}
    </Stack>
  );
}
