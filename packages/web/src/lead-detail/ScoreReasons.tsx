import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import { List, ListItem, ListItemIcon, ListItemText, Typography } from '@mui/material';
import type { ScoreExplanation } from './score-breakdown';

const SIDES = [
  { side: 'positive', Icon: ArrowUpwardIcon, color: 'success', meaning: 'Raises the score' },
  { side: 'negative', Icon: ArrowDownwardIcon, color: 'error', meaning: 'Lowers the score' },
] as const;

/** The top reasons in plain words: what raises the score (green) and what lowers it (red). */
export function ScoreReasons({ reasons }: { reasons: ScoreExplanation['reasons'] }) {
  if (reasons.positive.length === 0 && reasons.negative.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No single fact stands out behind this score.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Top reasons">
      {SIDES.flatMap(({ side, Icon, color, meaning }) =>
        reasons[side].map((reason) => (
          <ListItem key={`${side}:${reason}`} disableGutters>
            <ListItemIcon sx={{ minWidth: 32 }}>
              <Icon color={color} fontSize="small" titleAccess={meaning} />
            </ListItemIcon>
            <ListItemText primary={reason} />
          </ListItem>
        )),
      )}
    </List>
  );
}
