// One-dimensional function-fitting sets for the universal approximation theorem: a target f on
// an interval, sampled at N points (evenly spaced or uniformly random), with optional Gaussian
// noise on the target, then split into train and test by a seeded shuffle.
import { createRng } from '../util/rng'
import type { Dataset } from './dataset'
import { splitExamples } from './dataset'

export type FunctionName = 'sin' | 'abs' | 'step' | 'poly' | 'bumps'
export type Sampling = 'even' | 'random'

export interface TargetFunction {
  readonly title: string
  /** The formula as people read it. */
  readonly formula: string
  readonly domain: readonly [number, number]
  readonly f: (x: number) => number
}

const bump = (x: number, centre: number, width: number): number =>
  Math.exp(-(((x - centre) / width) ** 2))

/** Every target lies in [−1, 1] over its domain, so one noise scale means the same for all. */
export const TARGET_FUNCTIONS: Readonly<Record<FunctionName, TargetFunction>> = {
  sin: { title: 'Sine', formula: 'sin x', domain: [-Math.PI, Math.PI], f: Math.sin },
  abs: { title: 'Absolute value', formula: '|x|', domain: [-1, 1], f: Math.abs },
  step: {
    title: 'Step',
    formula: '0 for x < 0, 1 for x ≥ 0',
    domain: [-1, 1],
    f: (x) => (x < 0 ? 0 : 1),
  },
  poly: {
    title: 'Cubic',
    formula: '4x³ − 3x',
    domain: [-1, 1],
    f: (x) => 4 * x ** 3 - 3 * x,
  },
  bumps: {
    title: 'Sum of bumps',
    formula: 'e^(−((x+0.5)/0.15)²) − 0.6·e^(−(x/0.1)²) + 0.8·e^(−((x−0.55)/0.2)²)',
    domain: [-1, 1],
    f: (x) => bump(x, -0.5, 0.15) - 0.6 * bump(x, 0, 0.1) + 0.8 * bump(x, 0.55, 0.2),
  },
}

export interface FunctionOptions {
  readonly size: number
  /** Standard deviation of Gaussian noise added to each target (0 … 0.5). */
  readonly noise: number
  readonly trainRatio: number
  readonly seed: number
  /** 'even': N points from the left end to the right end inclusive; 'random': uniform draws. */
  readonly sampling: Sampling
}

/** Samples f: inputs in x (one feature per example), targets in y. */
export function sampleFunction(
  name: FunctionName,
  opts: FunctionOptions,
): { x: Float32Array; y: Float32Array } {
  const { domain, f } = TARGET_FUNCTIONS[name]
  const [lo, hi] = domain
  const rng = createRng(opts.seed)
  const n = opts.size
  const x = new Float32Array(n)
  const y = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const xi =
      opts.sampling === 'even' ? lo + ((hi - lo) * i) / Math.max(1, n - 1) : rng.uniform(lo, hi)
    x[i] = xi
    y[i] = f(xi) + (opts.noise > 0 ? opts.noise * rng.normal() : 0)
  }
  return { x, y }
}

export function functionDataset(name: FunctionName, opts: FunctionOptions): Dataset {
  const { x, y } = sampleFunction(name, opts)
  // The split draws from its own stream so 'even' and 'random' share the sampling seed.
  const { train, test } = splitExamples(x, y, 1, opts.trainRatio, createRng(opts.seed ^ 0x5eed))
  return {
    name: `fn-${name}`,
    task: 'regression',
    featureNames: ['x'],
    inputShape: [1],
    targetName: TARGET_FUNCTIONS[name].formula,
    inputRange: TARGET_FUNCTIONS[name].domain,
    train,
    test,
  }
}
