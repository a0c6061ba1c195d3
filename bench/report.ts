// The bench's table: steps per second per contender and shape, the engine's ratio to each
// peer, the goals with PASS or MISS, and allocations per step.

import type { Rate } from './measure'
import { pad, rate, ratio } from './format'
import type { MlpShape } from './shapes'

export type Contender = 'engine' | 'engine-1t' | 'hand' | 'tfjs-cpu' | 'tfjs-wasm'

export interface Result {
  readonly rate: Rate
  readonly loss: number
  /** JavaScript heap bytes allocated per step, where measured. */
  readonly bytes: number | null
  /** Floating-point operations per step (the engine's own count), where known. */
  readonly flops?: number
}

export interface Row {
  readonly shape: MlpShape
  readonly results: Map<Contender, Result>
}

const LABEL: Record<Contender, string> = {
  engine: 'engine',
  'engine-1t': 'engine, 1 thread',
  hand: 'hand-written',
  'tfjs-cpu': 'tfjs-cpu',
  'tfjs-wasm': 'tfjs-wasm',
}

/** The goals: the engine at least `factor` times `peer` on the shape `layers`. */
const GOALS: readonly { layers: string; peer: Contender; factor: number }[] = [
  { layers: '2-8-8-2', peer: 'hand', factor: 0.75 },
  { layers: '784-256-128-10', peer: 'tfjs-wasm', factor: 5 },
  { layers: '1024-2048-2048-1024', peer: 'tfjs-wasm', factor: 20 },
]

export function printReport(rows: readonly Row[], notes: ReadonlyMap<string, string>): void {
  const peers: Contender[] = ['hand', 'tfjs-cpu', 'tfjs-wasm']
  const widths = [36, 9, 9, 12, 9, 9, 9, 9, 9]
  const head = ['shape', 'engine', '1 thread', 'hand-written', 'tfjs-cpu', 'tfjs-wasm']
  console.log('\nMLP training steps per second (forward, backward, update; float32)')
  console.log('Each: the fastest burst of its measurement (others use this machine too)\n')
  console.log(pad([...head, 'vs hand', 'vs cpu', 'vs wasm'], widths))
  for (const row of rows) {
    const get = (c: Contender): number | undefined => row.results.get(c)?.rate.stepsPerSecond
    const s = row.shape
    const name = `${s.name} (b${s.batch} ${s.optimizer}${s.loss === 'mse' ? ' mse' : ''})`
    const cells = [
      name,
      rate(get('engine')),
      rate(get('engine-1t')),
      ...peers.map((p) => rate(get(p))),
    ]
    cells.push(...peers.map((p) => ratio(get('engine'), get(p))))
    console.log(pad(cells, widths))
  }
  console.log('\nGoals (engine as configured here: big matmuls may use 2 threads; then 1 thread)')
  for (const goal of GOALS) {
    const row = rows.find((r) => r.shape.layers.join('-') === goal.layers)
    const peer = row?.results.get(goal.peer)?.rate.stepsPerSecond
    const verdict = (who: Contender): string => {
      const engine = row?.results.get(who)?.rate.stepsPerSecond
      if (engine === undefined || peer === undefined) return 'not measured'
      return `${(engine / peer).toFixed(2)}× ${engine / peer >= goal.factor ? 'PASS' : 'MISS'}`
    }
    const what = `  ${goal.layers}: engine ≥ ${goal.factor}× ${LABEL[goal.peer]}`
    console.log(`${what.padEnd(52)} ${verdict('engine').padEnd(14)} ${verdict('engine-1t')}`)
  }
  printAllocations(rows)
  printThroughput(rows)
  console.log('')
  for (const [who, note] of notes) console.log(`${who}: ${note}`)
}

function printAllocations(rows: readonly Row[]): void {
  const lines = rows.flatMap((row) =>
    (['engine', 'engine-1t', 'hand'] as const)
      .flatMap((c) => {
        const b = row.results.get(c)?.bytes
        return b === null || b === undefined ? [] : [`${LABEL[c]} ${b.toFixed(1)} B`]
      })
      .map((text) => `  ${row.shape.name}: ${text}`),
  )
  if (lines.length === 0) return
  console.log('\nJavaScript heap growth per step (after a full collection; least of 3 rounds)')
  for (const l of lines) console.log(l)
}

function printThroughput(rows: readonly Row[]): void {
  console.log('\nEngine arithmetic rate (its FLOP count per step × steps/s)')
  for (const row of rows) {
    const cells = (['engine', 'engine-1t'] as const).flatMap((c) => {
      const r = row.results.get(c)
      if (r?.flops === undefined) return []
      return [`${LABEL[c]} ${((r.flops * r.rate.stepsPerSecond) / 1e9).toFixed(1)} GFLOP/s`]
    })
    if (cells.length > 0) console.log(`  ${row.shape.name}: ${cells.join(', ')}`)
  }
}
