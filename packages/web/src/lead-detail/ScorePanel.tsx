import { Stack, Typography } from '@mui/material';
import { LoadError } from '../layout/LoadError';
import { formatDateTime, signedPoints } from './format';
import { type LeadScore, useGetLeadScoreQuery } from './lead-detail.api';
import { ScoreGauge } from './ScoreGauge';
import { ScoreReasons } from './ScoreReasons';
import { ScoreWaterfall } from './ScoreWaterfall';
import { Section, SectionEmpty, SectionLoading } from './Section';
import { explanationSteps, readBreakdown, type ScoreExplanation } from './score-breakdown';
import { waterfallBars } from './waterfall';

/** The lead's current score: the gauge, how its parts add up, and the reasons behind it. */
export function ScorePanel({ leadId }: { leadId: string }) {
  const { data, error, isLoading, refetch } = useGetLeadScoreQuery(leadId);
  return (
    <Section title="Score" labelId="lead-score-heading">
      {isLoading && <SectionLoading label="Loading score" />}
      {error && <LoadError error={error} onRetry={refetch} />}
      {data && !data.scored && (
        <SectionEmpty>
          Not scored yet: the score appears once the lead’s activity is counted.
        </SectionEmpty>
      )}
      {data?.scored && data.score !== null && (
        <CurrentScore
          value={data.score}
          breakdown={data.breakdown}
          confidence={data.confidence}
          calculatedAt={data.calculatedAt}
        />
      )}
    </Section>
  );
}

function CurrentScore({
  value,
  breakdown,
  confidence,
  calculatedAt,
}: Pick<LeadScore, 'breakdown' | 'confidence' | 'calculatedAt'> & { value: number }) {
  const explanation = readBreakdown(breakdown);
  return (
    <Stack spacing={2}>
      <ScoreGauge score={value} grade={explanation?.grade ?? null} />
      {calculatedAt && (
        <Typography variant="body2" color="text.secondary">
          Scored {formatDateTime(calculatedAt)}
          {confidence !== null && ` · confidence ${Math.round(confidence * 100)}%`}
        </Typography>
      )}
      {explanation ? (
        <Explanation explanation={explanation} score={value} />
      ) : (
        <SectionEmpty>This score was stored without its explanation.</SectionEmpty>
      )}
    </Stack>
  );
}

function Explanation({ explanation, score }: { explanation: ScoreExplanation; score: number }) {
  const { start, steps } = explanationSteps(explanation);
  const summary =
    `Score ${score}: baseline ${start.amount}, ` +
    steps.map((step) => `${step.label.toLowerCase()} ${signedPoints(step.amount)}`).join(', ');
  return (
    <Stack spacing={2}>
      <Typography variant="subtitle2" component="h3">
        How the score adds up
      </Typography>
      <ScoreWaterfall bars={waterfallBars(start, steps, 'Score')} summary={summary} />
      <Typography variant="subtitle2" component="h3">
        Top reasons
      </Typography>
      <ScoreReasons reasons={explanation.reasons} />
    </Stack>
  );
}
