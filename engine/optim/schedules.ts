// Learning-rate schedules, evaluated on the host: the rate travels into each step as the scalar
// program input `lr`, so a schedule (or a person) can change it mid-run without recompiling.

export type LrSchedule =
  | { readonly type: 'constant' }
  /** Multiply by gamma every `every` steps. */
  | { readonly type: 'step'; readonly every: number; readonly gamma: number }
  /** Multiply by gamma each step. */
  | { readonly type: 'exponential'; readonly gamma: number }
  /** Half a cosine from the base rate down to `min` over `steps`, then stay at `min`. */
  | { readonly type: 'cosine'; readonly steps: number; readonly min?: number | undefined }
  /** Linear ramp up to the base rate over `steps`, then `then` (counting from the ramp's end). */
  | { readonly type: 'warmup'; readonly steps: number; readonly then: LrSchedule }

/** The rate for step `step` (0 for the first step). */
export function learningRate(base: number, schedule: LrSchedule, step: number): number {
  switch (schedule.type) {
    case 'constant':
      return base
    case 'step':
      return base * schedule.gamma ** Math.floor(step / schedule.every)
    case 'exponential':
      return base * schedule.gamma ** step
    case 'cosine': {
      const min = schedule.min ?? 0
      const t = Math.min(step, schedule.steps) / schedule.steps
      return min + ((base - min) * (1 + Math.cos(Math.PI * t))) / 2
    }
    case 'warmup':
      return step < schedule.steps
        ? (base * (step + 1)) / schedule.steps
        : learningRate(base, schedule.then, step - schedule.steps)
  }
}
