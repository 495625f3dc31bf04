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
import { formatCount, formatDate, formatMetric, formatPercent } from '../format';
import type { Comparison } from '../models.api';
import { ChartFigure } from './ChartFigure';
import { BarsChart } from './charts';
import { bandLabel } from './holdout-figures';

/**
 * The challenger beside the active model on the same leads since it started: each lead's latest
 * pair of scores, and how well each ranked the leads decided meanwhile.
 */
export function ChallengerComparison({ comparison }: { comparison: Comparison }) {
  const { challenger, active, outcomes } = comparison;
  const rows: [string, string, string][] = [
    ['Mean score', formatMetric(challenger.meanScore, 1), formatMetric(active.meanScore, 1)],
    [
      'ROC AUC on leads decided since',
      formatMetric(challenger.rocAuc),
      formatMetric(active.rocAuc),
    ],
  ];
  return (
    <Stack spacing={2} component="section" aria-labelledby="challenger-heading">
      <Typography variant="h6" component="h2" id="challenger-heading">
        Challenger against the active model
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {comparison.running ? 'Running' : 'Ran'} since {formatDate(comparison.since)}:{' '}
        {formatCount(comparison.leads)} leads scored by both ({formatCount(comparison.scorings)}{' '}
        challenger scores). Scores differ by {formatMetric(comparison.meanAbsoluteDifference, 1)}{' '}
        points on average; {formatPercent(comparison.sameBandShare)} of leads are in the same
        10-point band. {formatCount(outcomes.converted)} converted and {formatCount(outcomes.lost)}{' '}
        lost since.
      </Typography>
      {outcomes.reason && <Alert severity="info">{outcomes.reason}</Alert>}
      <Paper>
        <TableContainer>
          <Table size="small" aria-label="Challenger and active model side by side">
            <TableHead>
              <TableRow>
                <TableCell />
                <TableCell align="right">Challenger</TableCell>
                <TableCell align="right">Active</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(([label, challengerValue, activeValue]) => (
                <TableRow key={label}>
                  <TableCell component="th" scope="row">
                    {label}
                  </TableCell>
                  <TableCell align="right">{challengerValue}</TableCell>
                  <TableCell align="right">{activeValue}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </Paper>
      <ChartFigure
        title="Leads per score band, challenger and active"
        summary="Leads in each 10-point score band by the challenger's scores and by the active model's, side by side."
        table={{
          columns: ['Score band', 'Challenger', 'Active'],
          rows: comparison.bands.map((band) => [bandLabel(band), band.challenger, band.active]),
        }}
      >
        <BarsChart
          labels={comparison.bands.map(bandLabel)}
          series={[
            { label: 'Challenger', values: comparison.bands.map((band) => band.challenger) },
            { label: 'Active', values: comparison.bands.map((band) => band.active) },
          ]}
          valueTitle="Leads"
        />
      </ChartFigure>
    </Stack>
  );
}
