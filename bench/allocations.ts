// Allocation probe for the bench (Node only): JavaScript heap growth per step.

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

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
