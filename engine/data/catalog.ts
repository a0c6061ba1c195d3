// The table of built-in data sets: names, descriptions, defaults and limits, as plain data for
// the UI's data panel and the spec validator. No generator code is imported here.
import type { Task } from './dataset'

export const BUILTIN_NAMES = [
  'circle',
  'xor',
  'gauss',
  'spiral',
  'reg-plane',
  'reg-gauss',
  'fn-sin',
  'fn-abs',
  'fn-step',
  'fn-poly',
  'fn-bumps',
  'iris',
  'mnist',
] as const

export type BuiltinName = (typeof BUILTIN_NAMES)[number]

export type BuiltinFamily = 'playground' | 'function' | 'table' | 'image'

export interface BuiltinInfo {
  readonly name: BuiltinName
  readonly title: string
  readonly description: string
  readonly family: BuiltinFamily
  readonly task: Task
  readonly inputShape: readonly number[]
  /** Number of classes for classification sets. */
  readonly classes?: number
  readonly defaults: { readonly size: number; readonly noise: number; readonly trainRatio: number }
  /** Inclusive range of `size`. */
  readonly sizeRange: readonly [number, number]
  /** Whether `noise` changes anything for this set. */
  readonly usesNoise: boolean
  /** Bytes the host must supply to makeDataset (the engine reads no files). */
  readonly needs?: 'mnist'
}

const PG_SIZE: readonly [number, number] = [2, 10_000]
const pgClassify = { size: 500, noise: 0, trainRatio: 0.5 } as const
const pgRegress = { size: 1200, noise: 0, trainRatio: 0.5 } as const
const fnDefaults = { size: 200, noise: 0, trainRatio: 0.8 } as const

function playground(
  name: BuiltinName,
  title: string,
  description: string,
  task: Task,
): BuiltinInfo {
  const classify = task === 'classification'
  return {
    name,
    title,
    description,
    family: 'playground',
    task,
    inputShape: [2],
    ...(classify ? { classes: 2 } : {}),
    defaults: classify ? pgClassify : pgRegress,
    sizeRange: PG_SIZE,
    usesNoise: true,
  }
}

function fn(name: BuiltinName, title: string, description: string): BuiltinInfo {
  return {
    name,
    title,
    description,
    family: 'function',
    task: 'regression',
    inputShape: [1],
    defaults: fnDefaults,
    sizeRange: PG_SIZE,
    usesNoise: true,
  }
}

export const BUILTINS: Readonly<Record<BuiltinName, BuiltinInfo>> = {
  circle: playground(
    'circle',
    'Circle',
    'A disc of one class inside a ring of the other (TensorFlow Playground).',
    'classification',
  ),
  xor: playground(
    'xor',
    'Exclusive or',
    'Four quadrants: the class is the sign of x1·x2 (TensorFlow Playground).',
    'classification',
  ),
  gauss: playground(
    'gauss',
    'Two Gaussians',
    'Two Gaussian clusters; noise widens them until they overlap (TensorFlow Playground).',
    'classification',
  ),
  spiral: playground(
    'spiral',
    'Spiral',
    'Two interleaved spiral arms, the hardest Playground set.',
    'classification',
  ),
  'reg-plane': playground(
    'reg-plane',
    'Plane',
    'Regression: a tilted plane, (x1 + x2) / 10 (TensorFlow Playground).',
    'regression',
  ),
  'reg-gauss': playground(
    'reg-gauss',
    'Multi Gaussian',
    'Regression: six signed bumps on a grid (TensorFlow Playground).',
    'regression',
  ),
  'fn-sin': fn('fn-sin', 'sin x', 'Fit sin x on [−π, π] with one input and one output.'),
  'fn-abs': fn('fn-abs', '|x|', 'Fit |x| on [−1, 1]: a kink two ReLUs can make exactly.'),
  'fn-step': fn(
    'fn-step',
    'Step',
    'Fit a unit step on [−1, 1]: a jump smooth units only approach.',
  ),
  'fn-poly': fn('fn-poly', 'Cubic', 'Fit 4x³ − 3x on [−1, 1].'),
  'fn-bumps': fn('fn-bumps', 'Bumps', 'Fit a sum of three Gaussian bumps on [−1, 1].'),
  iris: {
    name: 'iris',
    title: 'Iris',
    description: 'Fisher’s 150 flowers: four measurements in cm, three species.',
    family: 'table',
    task: 'classification',
    inputShape: [4],
    classes: 3,
    defaults: { size: 150, noise: 0, trainRatio: 0.8 },
    sizeRange: [3, 150],
    usesNoise: false,
  },
  mnist: {
    name: 'mnist',
    title: 'MNIST digits',
    description: '10,000 handwritten digits, 28×28 grey pixels scaled to [0, 1].',
    family: 'image',
    task: 'classification',
    inputShape: [1, 28, 28],
    classes: 10,
    defaults: { size: 10_000, noise: 0, trainRatio: 0.8 },
    sizeRange: [10, 10_000],
    usesNoise: false,
    needs: 'mnist',
  },
}

export function isBuiltinName(name: string): name is BuiltinName {
  return BUILTIN_NAMES.some((n) => n === name)
}
