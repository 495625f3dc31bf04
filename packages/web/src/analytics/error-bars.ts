import type { ChartType, Plugin } from 'chart.js';

/** Where a bar's whisker runs, in the value axis's units; null draws none. */
export type Whisker = { lower: number; upper: number } | null;

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** The whisker of each bar of the first dataset (see `errorBars`). */
    errorBars?: { whiskers: readonly Whisker[] };
  }
}

const CAP_PX = 4;

/**
 * Chart.js draws no error bars, so this plugin strokes one whisker per bar of the first
 * dataset, with caps, across the value axis (vertical bars, or horizontal with indexAxis 'y').
 * Pass it to the chart that wants it (`plugins={[errorBars]}`) rather than registering it
 * for every chart.
 */
export const errorBars: Plugin<'bar'> = {
  id: 'errorBars',
  afterDatasetsDraw(chart, _args, options: { whiskers?: readonly Whisker[] }) {
    const whiskers = options.whiskers ?? [];
    const horizontal = chart.options.indexAxis === 'y';
    const valueScale = horizontal ? chart.scales.x : chart.scales.y;
    if (!valueScale) return;
    const { ctx } = chart;
    ctx.save();
    ctx.strokeStyle = 'rgba(0, 0, 0, 0.75)';
    ctx.lineWidth = 1.5;
    chart.getDatasetMeta(0).data.forEach((bar, index) => {
      const whisker = whiskers[index];
      if (!whisker) return;
      const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
      const from = valueScale.getPixelForValue(whisker.lower);
      const to = valueScale.getPixelForValue(whisker.upper);
      ctx.beginPath();
      if (horizontal) {
        ctx.moveTo(from, y);
        ctx.lineTo(to, y);
        for (const end of [from, to]) {
          ctx.moveTo(end, y - CAP_PX);
          ctx.lineTo(end, y + CAP_PX);
        }
      } else {
        ctx.moveTo(x, from);
        ctx.lineTo(x, to);
        for (const end of [from, to]) {
          ctx.moveTo(x - CAP_PX, end);
          ctx.lineTo(x + CAP_PX, end);
        }
      }
      ctx.stroke();
    });
    ctx.restore();
  },
};
