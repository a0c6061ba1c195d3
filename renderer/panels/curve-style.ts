// The curves' colours and dashes: training solid, test dashed, one hue per split; and the
// colours runs take when overlaid. Not the heatmap palette: lines are categories, not signs.
import type { LineSeries } from '../charts/line-chart'

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
