// Paces a repeated asynchronous job (the panels' probes): at most one run in flight, requests
// made meanwhile merged into one follow-up run, and runs started at least `gapMs` apart, so
// probing can never flood the engine however fast progress events arrive.

export interface Pacer {
  /** Asks for a run soon; several requests before it starts make one run. */
  request(): void
  /** Stops scheduling; a run in flight finishes. */
  stop(): void
  readonly running: boolean
}

export function createPacer(
  job: () => Promise<void>,
  gapMs: number,
  clock: { now: () => number; later: (fn: () => void, ms: number) => void } = {
    now: () => performance.now(),
    later: (fn, ms) => void setTimeout(fn, ms),
  },
): Pacer {
  let inFlight = false
  let wanted = false
  let timer = false
  let stopped = false
  let lastStart = -Infinity

  const start = (): void => {
    timer = false
    if (stopped || inFlight || !wanted) return
    wanted = false
    inFlight = true
    lastStart = clock.now()
    job()
      .catch(() => undefined)
      .finally(() => {
        inFlight = false
        if (wanted) schedule()
      })
  }

  const schedule = (): void => {
    if (timer || inFlight || stopped) return
    timer = true
    clock.later(start, Math.max(0, lastStart + gapMs - clock.now()))
  }

  return {
    request() {
      stopped = false
      wanted = true
      schedule()
    },
    stop() {
      stopped = true
      wanted = false
    },
    get running() {
      return inFlight
    },
  }
}
