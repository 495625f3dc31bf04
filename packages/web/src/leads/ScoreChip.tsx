import { Chip } from '@mui/material';

/** Hot (80 and up), warm (50 and up) or cool: the bands a sales team reads at a glance. */
export function scoreTone(score: number): 'success' | 'warning' | 'default' {
  if (score >= 80) return 'success';
  if (score >= 50) return 'warning';
  return 'default';
}

/** A lead's score 0–100 with its grade (A1–D4, rules models only); a dash before any score. */
export function ScoreChip({ score, grade }: { score: number | null; grade: string | null }) {
  if (score === null)
    return <Chip size="small" variant="outlined" label="—" aria-label="Not scored yet" />;
  const label = grade ? `${score} · ${grade}` : String(score);
  return (
    <Chip
      size="small"
      color={scoreTone(score)}
      label={label}
      aria-label={grade ? `Score ${score}, grade ${grade}` : `Score ${score}`}
    />
  );
}
