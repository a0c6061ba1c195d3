// How long a run still needs: the steps left over a smoothed step rate, so one slow report
// (a probe, a garbage collection) does not make the estimate jump.

export interface RateEstimate {
  /** Smoothed steps per second, or null before the first report. */
  readonly rate: number | null
}

/** Blends a new steps/s report into the running estimate (exponential, weight on the past). */
export function updateRate(previous: number | null, reported: number, weight = 0.6): number | null {
  if (!Number.isFinite(reported) || reported <= 0) return previous
  return previous === null ? reported : previous * weight + reported * (1 - weight)
}

/** Seconds until totalSteps at the given rate; null when unknown, 0 when finished. */
export function secondsLeft(step: number, totalSteps: number, rate: number | null): number | null {
  if (step >= totalSteps) return 0
  if (rate === null || !(rate > 0)) return null
  return (totalSteps - step) / rate
}
