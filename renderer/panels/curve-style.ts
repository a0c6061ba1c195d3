// The curves' colours and dashes: training solid, test dashed, one hue per split; the colours
// runs take when overlaid; and the marks where a run's learning rate was changed. Not the
// heatmap palette: lines are categories, not signs.
import type { LineSeries, Marker } from '../charts/line-chart'
import type { Run } from '../training/runs'
import { formatValue } from '../training/format'

export const TRAIN_COLOR = '#6550d8'
export const TEST_COLOR = '#15946c'
export const RUN_COLORS = ['#6550d8', '#15946c', '#d6455d', '#2f7de1', '#b7791f', '#8b5cd6']

/** Training and test series; the chart's title names the quantity. */
export function splitSeries(): LineSeries[] {
  return [
    { label: 'train', color: TRAIN_COLOR },
    { label: 'test', color: TEST_COLOR, dash: [5, 3] },
  ]
}

export function runColor(index: number): string {
  return RUN_COLORS[index % RUN_COLORS.length] ?? '#6550d8'
}

/** Where each run's learning rate was changed ("lr 0.03"), named by run where several show. */
export function rateMarks(runs: readonly Run[]): Marker[] {
  const named = runs.length > 1
  return runs.flatMap((run) =>
    run.lrChanges.map(([step, rate]) => ({
      x: step,
      label: `${named ? `${run.name}: ` : ''}lr ${formatValue(rate)}`,
    })),
  )
}
