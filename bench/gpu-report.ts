// The GPU half of the bench's table: steps per second for this engine's WebGPU backend beside
// tfjs-webgpu and tfjs-webgl, the ratios, the goals with PASS or MISS (one set for a CPU
// emulation such as SwiftShader, another for a real GPU), and peak GPU memory against the least
// a training step must hold.

import type { GpuContender } from './gpu/api'
import type { CardRate, GpuRow } from './gpu-bench'
import { pad, rate, ratio } from './format'
import type { MlpShape } from './shapes'

const MiB = 1024 * 1024

/** A goal: the engine at least `factor` × the faster of `peers` on the shape `layers`. */
interface Goal {
  readonly layers: string
  readonly peers: readonly GpuContender[]
  readonly factor: number
}

const EMULATED_GOALS: readonly Goal[] = [
  { layers: '2-8-8-2', peers: ['tfjs-webgpu', 'tfjs-webgl'], factor: 100 },
  { layers: '784-256-128-10', peers: ['tfjs-webgpu'], factor: 6 },
  { layers: '1024-2048-2048-1024', peers: ['tfjs-webgpu'], factor: 6 },
  { layers: '1024-2048-2048-1024', peers: ['tfjs-webgl'], factor: 1 },
]

const LARGEST = '1024-2048-2048-1024'

const GPU_GOALS: readonly Goal[] = ['2-8-8-2', '784-256-128-10', LARGEST].map((layers) => ({
  layers,
  peers: ['tfjs-webgpu', 'tfjs-webgl'],
  factor: 1,
}))

/** On a real GPU: the largest shape's arithmetic rate, at least this share of the fp32 peak. */
const PEAK_SHARE = 0.3

/** Peak GPU memory goal: at most this many times the minimum. */
const MEMORY_GOAL = 1.25

/**
 * Bytes a training step cannot do without: parameters, their gradients, the optimizer's state
 * (Adam: two moments per parameter) and one set of activations (every layer's batch of values,
 * the input's included).
 */
export function minimumBytes(shape: MlpShape): number {
  const l = shape.layers
  const params = l.slice(1).reduce((n, out, i) => n + ((l[i] ?? 0) + 1) * out, 0)
  const state = shape.optimizer === 'adam' ? 2 : 0
  const activations = shape.batch * l.reduce((a, b) => a + b, 0)
  return 4 * (params * (2 + state) + activations)
}

const shapeName = (s: MlpShape): string =>
  `${s.name} (b${s.batch} ${s.optimizer}${s.loss === 'mse' ? ' mse' : ''})`

/**
 * `where`: "in Chromium" or "in Node, on Dawn"; `peakTflops`: the card's fp32 peak, which
 * WebGPU does not tell (--peak-tflops), for the real-GPU goal on the largest shape.
 */
export function printGpuReport(
  where: string,
  adapter: string,
  emulated: boolean,
  rows: readonly GpuRow[],
  card: CardRate,
  peakTflops: number | null = null,
): void {
  const widths = [36, 9, 11, 10, 9, 9]
  console.log(`\nWebGPU: MLP training steps per second ${where} (adapter: ${adapter})`)
  console.log('Each: the fastest burst of its measurement, all in this run\n')
  const head = ['shape', 'engine', 'tfjs-webgpu', 'tfjs-webgl', 'vs webgpu', 'vs webgl']
  console.log(pad(head, widths))
  for (const row of rows) {
    const get = (c: GpuContender): number | undefined => row.results.get(c)?.rate.stepsPerSecond
    const engine = get('engine-webgpu')
    console.log(
      pad(
        [
          shapeName(row.shape),
          rate(engine),
          rate(get('tfjs-webgpu')),
          rate(get('tfjs-webgl')),
          ratio(engine, get('tfjs-webgpu')),
          ratio(engine, get('tfjs-webgl')),
        ],
        widths,
      ),
    )
  }
  printGoals(emulated, rows, peakTflops, card)
  printMemory(rows)
  printEngine(rows)
}

/** The engine's arithmetic rate on `row` (its FLOP count × steps/s), in GFLOP/s. */
function gflopsOf(row: GpuRow | undefined): number | null {
  const r = row?.results.get('engine-webgpu')
  return r?.flops === undefined ? null : (r.flops * r.rate.stepsPerSecond) / 1e9
}

/** A speed goal's verdict, judged against the peers that ran, naming any that did not. */
function goalVerdict(goal: Goal, rows: readonly GpuRow[]): string {
  const row = rows.find((r) => r.shape.layers.join('-') === goal.layers)
  const rates = goal.peers.map((p) => row?.results.get(p)?.rate.stepsPerSecond)
  const ran = goal.peers.filter((_, i) => rates[i] !== undefined)
  const missing = goal.peers.filter((_, i) => rates[i] === undefined)
  const engine = row?.results.get('engine-webgpu')?.rate.stepsPerSecond
  if (engine === undefined || ran.length === 0) return 'not measured'
  const times = engine / Math.max(...rates.map((r) => r ?? 0))
  const verdict = `${times.toFixed(2)}× ${times >= goal.factor ? 'PASS' : 'MISS'}`
  // Node has no tfjs-webgl: say so rather than leave the goal unjudged.
  return missing.length === 0
    ? verdict
    : `${verdict} (against ${ran.join(', ')} only: ${missing.join(', ')} did not run)`
}

/** The real-GPU goal on the largest shape: its arithmetic rate against the card's fp32 peak. */
function peakVerdict(rows: readonly GpuRow[], peakTflops: number | null): string {
  const tflops = (gflopsOf(rows.find((r) => r.shape.layers.join('-') === LARGEST)) ?? NaN) / 1000
  if (Number.isNaN(tflops)) return 'not measured'
  if (peakTflops === null)
    return `${tflops.toFixed(2)} TFLOP/s (--peak-tflops=N: the card's fp32 peak)`
  const share = tflops / peakTflops
  return `${tflops.toFixed(2)} TFLOP/s = ${(share * 100).toFixed(1)} % ${share >= PEAK_SHARE ? 'PASS' : 'MISS'}`
}

/**
 * The largest shape against the card's own multiply-add loop in this run: what share of the
 * peak a card in its present state gives (a card held at low clocks gives less of it).
 */
function cardVerdict(rows: readonly GpuRow[], card: CardRate): string {
  const gflops = gflopsOf(rows.find((r) => r.shape.layers.join('-') === LARGEST)) ?? NaN
  const [start, end] = [card.start / 1e12, card.end / 1e12]
  const loop = `the loop at ${start.toPrecision(3)} TFLOP/s before the contenders, ${end.toPrecision(3)} after`
  if (Number.isNaN(gflops)) return loop
  const share = (gflops * 1e9) / Math.max(card.start, card.end)
  return `${(share * 100).toFixed(1)} % (${loop})`
}

function printGoals(
  emulated: boolean,
  rows: readonly GpuRow[],
  peakTflops: number | null,
  card: CardRate,
): void {
  const kind = emulated ? 'a CPU emulation of a GPU' : 'a real GPU'
  console.log(`\nGoals for ${kind}`)
  const line = (what: string, verdict: string): void => console.log(`${what.padEnd(70)} ${verdict}`)
  for (const goal of emulated ? EMULATED_GOALS : GPU_GOALS) {
    const peers = goal.peers.length > 1 ? `the faster of ${goal.peers.join(', ')}` : goal.peers[0]
    line(`  ${goal.layers}: engine ≥ ${goal.factor}× ${peers ?? ''}`, goalVerdict(goal, rows))
  }
  if (!emulated) {
    const what = `  ${LARGEST}: engine ≥ ${PEAK_SHARE * 100} % of the card's fp32 peak`
    line(what, peakVerdict(rows, peakTflops))
    line(`    (not a goal) of an fp32 multiply-add loop's rate, this run`, cardVerdict(rows, card))
  }
  line(`  every shape: engine's peak GPU memory ≤ ${MEMORY_GOAL}× the minimum`, memoryVerdict(rows))
}

function memoryVerdict(rows: readonly GpuRow[]): string {
  const times = rows.flatMap((r) => {
    const peak = r.results.get('engine-webgpu')?.peakBytes
    return peak === null || peak === undefined ? [] : [peak / minimumBytes(r.shape)]
  })
  if (times.length === 0) return 'not measured'
  const worst = Math.max(...times)
  return `${worst.toFixed(2)}× ${worst <= MEMORY_GOAL ? 'PASS' : 'MISS'}`
}

const bytes = (n: number): string =>
  n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`

function printMemory(rows: readonly GpuRow[]): void {
  console.log('\nPeak GPU memory (× the minimum: parameters, gradients, optimizer state and')
  console.log('one set of activations)\n')
  const widths = [40, 9, 17, 17, 17]
  console.log(pad(['shape', 'minimum', 'engine', 'tfjs-webgpu', 'tfjs-webgl'], widths))
  const hows = new Map<string, string>()
  for (const row of rows) {
    const least = minimumBytes(row.shape)
    const cell = (c: GpuContender): string => {
      const r = row.results.get(c)
      if (r === undefined || r.peakBytes === null) return '—'
      hows.set(c, r.peakHow)
      return `${bytes(r.peakBytes)} (${(r.peakBytes / least).toFixed(2)}×)`
    }
    const cells = [shapeName(row.shape), bytes(least)]
    cells.push(cell('engine-webgpu'), cell('tfjs-webgpu'), cell('tfjs-webgl'))
    console.log(pad(cells, widths))
  }
  for (const [c, how] of hows) console.log(`  ${c}: ${how}`)
}

function printEngine(rows: readonly GpuRow[]): void {
  console.log('\nEngine on WebGPU: kernels a step and arithmetic rate (its FLOP count × steps/s)')
  for (const row of rows) {
    const r = row.results.get('engine-webgpu')
    const gflops = gflopsOf(row)
    if (r === undefined || gflops === null) continue
    const one = r.dispatches === 1 ? ' in one dispatch' : ''
    console.log(
      `  ${row.shape.name}: ${r.kernels ?? '?'} kernels${one}, ${gflops.toFixed(2)} GFLOP/s`,
    )
  }
}
