// TensorFlow Playground's six data sets (src/dataset.ts, Apache-2.0), reproduced with the same
// geometry, noise model and order of random draws, but driven by our seeded Rng instead of
// Math.random so that a seed names one data set everywhere.
//
// Labels: Playground gives classification points ±1; we store class indices, −1 → class 0
// ('negative', Playground's orange) and +1 → class 1 ('positive', blue). Regression points keep
// their real value in [−1, 1]. `noise` is Playground's generator argument: the slider's 0–50 %
// divided by 100, so 0 … 0.5.
import type { Rng } from '../util/rng'
import { createRng } from '../util/rng'
import type { Dataset } from './dataset'
import { splitExamples } from './dataset'

export interface Example2D {
  x: number
  y: number
  label: number
}

interface Point {
  x: number
  y: number
}

export type PlaygroundGenerator = (rng: Rng, numSamples: number, noise: number) => Example2D[]

/** Playground's points per data set (NUM_SAMPLES_CLASSIFY, NUM_SAMPLES_REGRESS). */
export const PLAYGROUND_SAMPLES = { classify: 500, regress: 1200 } as const
/** Playground draws its heatmaps over [−6, 6]². */
export const PLAYGROUND_RANGE: readonly [number, number] = [-6, 6]

function dist(a: Point, b: Point): number {
  const dx = a.x - b.x
  const dy = a.y - b.y
  return Math.sqrt(dx * dx + dy * dy)
}

/** Uniform on [a, b), in Playground's form. */
function randUniform(rng: Rng, a: number, b: number): number {
  return rng.next() * (b - a) + a
}

/**
 * Playground's normalRandom: Marsaglia's polar method; note the second argument is a variance.
 * (We also reject s = 0, which would give log(0); Playground's loop does not.)
 */
function normalRandom(rng: Rng, mean: number, variance: number): number {
  let v1: number
  let v2: number
  let s: number
  do {
    v1 = 2 * rng.next() - 1
    v2 = 2 * rng.next() - 1
    s = v1 * v1 + v2 * v2
  } while (s > 1 || s === 0)
  const result = Math.sqrt((-2 * Math.log(s)) / s) * v1
  return mean + Math.sqrt(variance) * result
}

export const classifyTwoGaussData: PlaygroundGenerator = (rng, numSamples, noise) => {
  const points: Example2D[] = []
  // d3.scaleLinear().domain([0, 0.5]).range([0.5, 4]), unclamped.
  const variance = 0.5 + (noise / 0.5) * 3.5
  const genGauss = (cx: number, cy: number, label: number): void => {
    for (let i = 0; i < numSamples / 2; i++) {
      const x = normalRandom(rng, cx, variance)
      const y = normalRandom(rng, cy, variance)
      points.push({ x, y, label })
    }
  }
  genGauss(2, 2, 1)
  genGauss(-2, -2, -1)
  return points
}

export const regressPlane: PlaygroundGenerator = (rng, numSamples, noise) => {
  const radius = 6
  // d3.scaleLinear().domain([-10, 10]).range([-1, 1])
  const getLabel = (x: number, y: number): number => (x + y) / 10
  const points: Example2D[] = []
  for (let i = 0; i < numSamples; i++) {
    const x = randUniform(rng, -radius, radius)
    const y = randUniform(rng, -radius, radius)
    const noiseX = randUniform(rng, -radius, radius) * noise
    const noiseY = randUniform(rng, -radius, radius) * noise
    points.push({ x, y, label: getLabel(x + noiseX, y + noiseY) })
  }
  return points
}

const GAUSSIANS: readonly (readonly [number, number, number])[] = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
]

/** The signed bump of the nearest-in-value Gaussian: the one largest in absolute value. */
function gaussianLabel(x: number, y: number): number {
  // d3.scaleLinear().domain([0, 2]).range([1, 0]).clamp(true)
  const labelScale = (d: number): number => Math.min(1, Math.max(0, 1 - d / 2))
  let label = 0
  for (const [cx, cy, sign] of GAUSSIANS) {
    const newLabel = sign * labelScale(dist({ x, y }, { x: cx, y: cy }))
    if (Math.abs(newLabel) > Math.abs(label)) label = newLabel
  }
  return label
}

export const regressGaussian: PlaygroundGenerator = (rng, numSamples, noise) => {
  const points: Example2D[] = []
  const radius = 6
  for (let i = 0; i < numSamples; i++) {
    const x = randUniform(rng, -radius, radius)
    const y = randUniform(rng, -radius, radius)
    const noiseX = randUniform(rng, -radius, radius) * noise
    const noiseY = randUniform(rng, -radius, radius) * noise
    points.push({ x, y, label: gaussianLabel(x + noiseX, y + noiseY) })
  }
  return points
}

export const classifySpiralData: PlaygroundGenerator = (rng, numSamples, noise) => {
  const points: Example2D[] = []
  const n = numSamples / 2
  const genSpiral = (deltaT: number, label: number): void => {
    for (let i = 0; i < n; i++) {
      const r = (i / n) * 5
      const t = ((1.75 * i) / n) * 2 * Math.PI + deltaT
      const x = r * Math.sin(t) + randUniform(rng, -1, 1) * noise
      const y = r * Math.cos(t) + randUniform(rng, -1, 1) * noise
      points.push({ x, y, label })
    }
  }
  genSpiral(0, 1)
  genSpiral(Math.PI, -1)
  return points
}

export const classifyCircleData: PlaygroundGenerator = (rng, numSamples, noise) => {
  const points: Example2D[] = []
  const radius = 5
  const getCircleLabel = (p: Point, center: Point): number =>
    dist(p, center) < radius * 0.5 ? 1 : -1
  // Positive points inside the circle, then negative points in the ring outside it.
  const genRing = (rMin: number, rMax: number): void => {
    for (let i = 0; i < numSamples / 2; i++) {
      const r = randUniform(rng, rMin, rMax)
      const angle = randUniform(rng, 0, 2 * Math.PI)
      const x = r * Math.sin(angle)
      const y = r * Math.cos(angle)
      const noiseX = randUniform(rng, -radius, radius) * noise
      const noiseY = randUniform(rng, -radius, radius) * noise
      const label = getCircleLabel({ x: x + noiseX, y: y + noiseY }, { x: 0, y: 0 })
      points.push({ x, y, label })
    }
  }
  genRing(0, radius * 0.5)
  genRing(radius * 0.7, radius)
  return points
}

export const classifyXORData: PlaygroundGenerator = (rng, numSamples, noise) => {
  const getXORLabel = (p: Point): number => (p.x * p.y >= 0 ? 1 : -1)
  const points: Example2D[] = []
  const padding = 0.3
  for (let i = 0; i < numSamples; i++) {
    let x = randUniform(rng, -5, 5)
    x += x > 0 ? padding : -padding
    let y = randUniform(rng, -5, 5)
    y += y > 0 ? padding : -padding
    const noiseX = randUniform(rng, -5, 5) * noise
    const noiseY = randUniform(rng, -5, 5) * noise
    points.push({ x, y, label: getXORLabel({ x: x + noiseX, y: y + noiseY }) })
  }
  return points
}

export type PlaygroundName = 'circle' | 'xor' | 'gauss' | 'spiral' | 'reg-plane' | 'reg-gauss'

/** Playground's own keys (`datasets` and `regDatasets` in its state.ts) → generator. */
export const PLAYGROUND_GENERATORS: Readonly<Record<PlaygroundName, PlaygroundGenerator>> = {
  circle: classifyCircleData,
  xor: classifyXORData,
  gauss: classifyTwoGaussData,
  spiral: classifySpiralData,
  'reg-plane': regressPlane,
  'reg-gauss': regressGaussian,
}

export const PLAYGROUND_CLASS_NAMES: readonly string[] = ['negative', 'positive']

export interface PlaygroundOptions {
  readonly size: number
  readonly noise: number
  readonly trainRatio: number
  readonly seed: number
}

/** Generates a Playground set; odd sizes follow Playground (a spiral of 501 has 502 points). */
export function playgroundDataset(name: PlaygroundName, opts: PlaygroundOptions): Dataset {
  const rng = createRng(opts.seed)
  const points = PLAYGROUND_GENERATORS[name](rng, opts.size, opts.noise)
  const regression = name.startsWith('reg-')
  const x = new Float32Array(points.length * 2)
  const y = new Float32Array(points.length)
  points.forEach((p, i) => {
    x[2 * i] = p.x
    x[2 * i + 1] = p.y
    y[i] = regression ? p.label : p.label > 0 ? 1 : 0
  })
  const { train, test } = splitExamples(x, y, 2, opts.trainRatio, rng)
  const common = {
    name,
    featureNames: ['x1', 'x2'],
    inputShape: [2],
    inputRange: PLAYGROUND_RANGE,
    train,
    test,
  }
  return regression
    ? { ...common, task: 'regression', targetName: 'value' }
    : { ...common, task: 'classification', classNames: PLAYGROUND_CLASS_NAMES, targetName: 'class' }
}
