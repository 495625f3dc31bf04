import { Box, Chip, CircularProgress, Stack, Typography } from '@mui/material';
import { scoreTone } from '../leads/ScoreChip';

const SIZE = 132;

/** The score 0–100 as a ring, the number inside it, and the grade beside it when there is one. */
export function ScoreGauge({ score, grade }: { score: number; grade: string | null }) {
  const tone = scoreTone(score);
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
      <Box sx={{ position: 'relative', width: SIZE, height: SIZE, flexShrink: 0 }}>
        <CircularProgress
          variant="determinate"
          value={100}
          size={SIZE}
          thickness={5}
          aria-hidden
          sx={{ position: 'absolute', color: 'grey.200' }}
        />
        <CircularProgress
          variant="determinate"
          value={score}
          size={SIZE}
          thickness={5}
          color={tone === 'default' ? 'primary' : tone}
          aria-label="Lead score"
          sx={{ position: 'absolute' }}
        />
        <Box
          sx={{ position: 'absolute', inset: 0, display: 'grid', placeContent: 'center' }}
          aria-hidden
        >
          <Typography variant="h3" component="span" sx={{ lineHeight: 1, textAlign: 'center' }}>
            {score}
          </Typography>
          <Typography variant="caption" color="text.secondary" sx={{ textAlign: 'center' }}>
            of 100
          </Typography>
        </Box>
      </Box>
      {grade && <Chip label={`Grade ${grade}`} color={tone} aria-label={`Grade ${grade}`} />}
    </Stack>
  );
}
