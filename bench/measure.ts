// Timing for the bench, in Node and in the GPU bench's page alike: warm up, then count steps
// until a time budget is spent (at least one), so each contender gets a rate however slow it is.

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
 * Runs `step` for the budget in bursts; `sync` waits for queued work (tfjs, the GPU) before a
 * burst's clock stops. A call of `step` may run `perCall` steps, and may return a promise to
 * wait for (awaited only then, so synchronous steps pay nothing for it).
 */
export async function measure(
  step: () => void | Promise<void>,
  budget: Budget,
  sync: () => void | Promise<void> = () => undefined,
  perCall = 1,
): Promise<Rate> {
  const warmEnd = performance.now() + budget.warm * 1000
  for (let i = 0; i * perCall < budget.minWarm || performance.now() < warmEnd; i++) {
    const pending = step()
    if (pending) await pending
  }
  await sync()
  let [best, steps, bursts] = [0, 0, 0]
  const start = performance.now()
  const end = start + budget.seconds * 1000
  while (bursts === 0 || performance.now() < end) {
    const t0 = performance.now()
    let n = 0
    while (n === 0 || performance.now() - t0 < budget.burst * 1000) {
      const pending = step()
      if (pending) await pending
      n += perCall
    }
    await sync()
    best = Math.max(best, n / ((performance.now() - t0) / 1000))
    steps += n
    bursts++
  }
  const seconds = (performance.now() - start) / 1000
  return { stepsPerSecond: best, meanPerSecond: steps / seconds, steps, bursts }
}
