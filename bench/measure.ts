// Timing and allocation probes for the bench: warm up, then count steps until a time budget is
// spent (at least one), so each contender gets a rate however slow it is.

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

export interface Budget {
  /** Warm-up: this many seconds, and at least `minWarm` steps. */
  readonly warm: number
  readonly minWarm: number
  /** Measured: this many seconds in all, and at least one step. */
  readonly seconds: number
  /** Bursts of about this many seconds (at least one step each); the fastest one counts. */
  readonly burst: number
}

export interface Rate {
  /** Of the fastest burst: on a busy machine, the one least disturbed by other work. */
  readonly stepsPerSecond: number
  /** Over all bursts. */
  readonly meanPerSecond: number
  readonly steps: number
  readonly bursts: number
}

/**
 * Runs `step` for the budget in bursts; `sync` waits for queued work (tfjs) before a burst's
 * clock stops.
 */
export function measure(
  step: () => void,
  budget: Budget,
  sync: () => void = () => undefined,
): Rate {
  const warmEnd = performance.now() + budget.warm * 1000
  for (let i = 0; i < budget.minWarm || performance.now() < warmEnd; i++) step()
  sync()
  let [best, steps, bursts] = [0, 0, 0]
  const start = performance.now()
  const end = start + budget.seconds * 1000
  while (bursts === 0 || performance.now() < end) {
    const t0 = performance.now()
    let n = 0
    while (n === 0 || performance.now() - t0 < budget.burst * 1000) {
      step()
      n++
    }
    sync()
    best = Math.max(best, n / ((performance.now() - t0) / 1000))
    steps += n
    bursts++
  }
  const seconds = (performance.now() - start) / 1000
  return { stepsPerSecond: best, meanPerSecond: steps / seconds, steps, bursts }
}

let gc: (() => void) | null | undefined

/** V8's gc(), exposed at run time so the bench needs no node flags. */
function collect(): (() => void) | null {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc')
    const found: unknown = runInNewContext('gc')
    gc = typeof found === 'function' ? () => void found() : null
  }
  return gc
}

/**
 * Bytes allocated per step on the JavaScript heap: heap growth over `steps` steps after a full
 * collection, the least of three rounds (the first rounds still pay for the compiler's own
 * data as functions are optimised). A collection inside a round only lowers the figure; the
 * rounds are short enough that none is expected when a step allocates nothing.
 */
export function bytesPerStep(step: () => void, steps: number): number {
  let least = Infinity
  for (let round = 0; round < 3; round++) {
    collect()?.()
    const before = heapBytes()
    for (let i = 0; i < steps; i++) step()
    least = Math.min(least, Math.max(0, heapBytes() - before) / steps)
  }
  return least
}

function heapBytes(): number {
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}
