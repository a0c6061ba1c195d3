// Activation functions: the nonlinearity that keeps stacked linear layers from collapsing into
// one. Each is elementwise; `curve` is its scalar formula, used for the palette's tiny plots and
// as an independent check of the compiled kernels.
import { choice, float } from '../attrs'
import type { AttrSpecs, AttrValues } from '../attrs'
import type { ProgramBuilder, Value } from '../../ir'
import { defineLayer, only, port } from '../layer'
import type { Layer } from '../layer'
import { sizeOf } from '../shape'
import {
  expm1NonPositive,
  lastAxis,
  positive,
  sigmoid as sigmoidIr,
  softplus as softplusIr,
} from '../lower-helpers'

interface ActivationSpec<A extends AttrSpecs> {
  type: string
  title: string
  formula: string
  description: string
  aliases?: readonly string[]
  attrs: A
  curve: (x: number, attrs: AttrValues<A>) => number
  /** The same function as IR, applied elementwise. */
  lower: (ir: ProgramBuilder, x: Value, attrs: AttrValues<A>) => Value
}

export interface Activation extends Layer {
  readonly curve: (x: number, attrs: Readonly<Record<string, unknown>>) => number
}

function defineActivation<const A extends AttrSpecs>(spec: ActivationSpec<A>): Activation {
  const layer = defineLayer({
    type: spec.type,
    title: spec.title,
    family: 'activations',
    description: spec.description,
    formula: spec.formula,
    aliases: spec.aliases ?? [],
    inputs: [{ name: 'x' }],
    outputs: [{ name: 'y' }],
    attrs: spec.attrs,
    shape: (inputs) => ({ y: only(inputs) }),
    flops: (inputs) => sizeOf(only(inputs)),
    lower: ({ ir }, inputs, _, attrs) => ({ y: spec.lower(ir, port(inputs, 'x'), attrs) }),
  })
  // Attribute values reach curve() resolved against spec.attrs, as for shape rules.
  const curve = (x: number, attrs: Readonly<Record<string, unknown>>): number =>
    spec.curve(x, attrs as AttrValues<A>)
  return { ...layer, curve }
}

const alpha = (d: number) => ({ alpha: float({ default: d, min: 0, max: 10, label: 'α' }) })
const SELU_ALPHA = 1.6732632423543772
const SELU_SCALE = 1.0507009873554805
const GELU_TANH = Math.sqrt(2 / Math.PI)
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))
const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)))

export const relu = defineActivation({
  type: 'relu',
  title: 'ReLU',
  formula: 'max(0, x)',
  aliases: ['rectifier'],
  attrs: {},
  description: 'Passes positive values and zeroes the rest. Cheap, and the usual first choice.',
  curve: (x) => Math.max(0, x),
  lower: (ir, x) => ir.relu(x),
})
export const leakyRelu = defineActivation({
  type: 'leaky-relu',
  title: 'LeakyReLU',
  formula: 'x if x > 0, else α·x',
  attrs: alpha(0.01),
  description: 'Like ReLU, but negative inputs keep a small slope α so a unit never dies.',
  curve: (x, { alpha: a }) => (x > 0 ? x : a * x),
  lower: (ir, x, { alpha: a }) => ir.where(positive(ir, x), x, ir.mul(x, a)),
})
export const elu = defineActivation({
  type: 'elu',
  title: 'ELU',
  formula: 'x if x > 0, else α·(eˣ − 1)',
  attrs: alpha(1),
  description: 'Smooth below zero, saturating at −α; keeps mean activations near zero.',
  curve: (x, { alpha: a }) => (x > 0 ? x : a * Math.expm1(x)),
  lower: (ir, x, { alpha: a }) => ir.where(positive(ir, x), x, ir.mul(expm1NonPositive(ir, x), a)),
})
export const selu = defineActivation({
  type: 'selu',
  title: 'SELU',
  formula: 'λ·(x if x > 0, else α·(eˣ − 1))',
  attrs: {},
  description: 'A scaled ELU whose constants keep activations normalised through deep stacks.',
  curve: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  lower: (ir, x) =>
    ir.mul(ir.where(positive(ir, x), x, ir.mul(expm1NonPositive(ir, x), SELU_ALPHA)), SELU_SCALE),
})
export const gelu = defineActivation({
  type: 'gelu',
  title: 'GELU',
  formula: 'x·Φ(x)',
  attrs: { approximate: choice({ default: 'erf', options: ['erf', 'tanh'], label: 'Form' }) },
  description:
    'Weights each input by the chance a standard normal is below it; used in Transformers.',
  curve: (x, { approximate }) =>
    approximate === 'tanh'
      ? 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))
      : 0.5 * x * (1 + erf(x / Math.SQRT2)),
  lower: (ir, x, { approximate }) => {
    if (approximate === 'tanh') {
      const inner = ir.mul(ir.add(x, ir.mul(ir.mul(ir.square(x), x), 0.044715)), GELU_TANH)
      return ir.mul(ir.mul(x, 0.5), ir.add(ir.tanh(inner), 1))
    }
    return ir.mul(ir.mul(x, 0.5), ir.add(ir.erf(ir.mul(x, Math.SQRT1_2)), 1))
  },
})
export const silu = defineActivation({
  type: 'silu',
  title: 'SiLU',
  formula: 'x·σ(x)',
  aliases: ['swish'],
  attrs: {},
  description: 'The input times its own sigmoid: smooth, slightly negative dip, ReLU-like above.',
  curve: (x) => x * sigmoid(x),
  lower: (ir, x) => ir.mul(x, sigmoidIr(ir, x)),
})
export const mish = defineActivation({
  type: 'mish',
  title: 'Mish',
  formula: 'x·tanh(softplus(x))',
  attrs: {},
  description: 'A smooth self-gated activation close to SiLU.',
  curve: (x) => x * Math.tanh(softplus(x)),
  lower: (ir, x) => ir.mul(x, ir.tanh(softplusIr(ir, x))),
})
export const sigmoidLayer = defineActivation({
  type: 'sigmoid',
  title: 'Sigmoid',
  formula: '1 / (1 + e⁻ˣ)',
  aliases: ['logistic'],
  attrs: {},
  description: 'Squashes any number into (0, 1); the classic neuron "firing rate".',
  curve: sigmoid,
  lower: sigmoidIr,
})
export const tanh = defineActivation({
  type: 'tanh',
  title: 'Tanh',
  formula: 'tanh(x)',
  aliases: ['hyperbolic tangent'],
  attrs: {},
  description: 'Squashes into (−1, 1), centred on zero.',
  curve: Math.tanh,
  lower: (ir, x) => ir.tanh(x),
})
export const softplusLayer = defineActivation({
  type: 'softplus',
  title: 'Softplus',
  formula: 'ln(1 + eˣ)',
  attrs: {},
  description: 'A smooth ReLU: always positive, never exactly zero.',
  curve: softplus,
  lower: softplusIr,
})
export const softsign = defineActivation({
  type: 'softsign',
  title: 'Softsign',
  formula: 'x / (1 + |x|)',
  attrs: {},
  description: 'Squashes into (−1, 1) like tanh, but approaches the limits more slowly.',
  curve: (x) => x / (1 + Math.abs(x)),
  lower: (ir, x) => ir.div(x, ir.add(ir.abs(x), 1)),
})
export const hardSigmoid = defineActivation({
  type: 'hard-sigmoid',
  title: 'HardSigmoid',
  formula: 'clamp(x/6 + 1/2, 0, 1)',
  attrs: {},
  description: "A piecewise-linear sigmoid (PyTorch's definition), cheap to compute.",
  curve: (x) => Math.min(1, Math.max(0, x / 6 + 0.5)),
  lower: (ir, x) => ir.minimum(ir.maximum(ir.add(ir.mul(x, 1 / 6), 0.5), 0), 1),
})
export const sine = defineActivation({
  type: 'sine',
  title: 'Sine',
  formula: 'sin(x)',
  aliases: ['sin', 'siren'],
  attrs: {},
  description: 'A periodic activation; good at fitting signals with fine detail.',
  curve: Math.sin,
  lower: (ir, x) => ir.sin(x),
})
export const identity = defineActivation({
  type: 'identity',
  title: 'Identity',
  formula: 'x',
  aliases: ['linear activation', 'none'],
  attrs: {},
  description: 'Does nothing. Two Dense layers joined by it collapse into one Dense layer.',
  curve: (x) => x,
  lower: (_, x) => x,
})

export const softmax = defineLayer({
  type: 'softmax',
  title: 'Softmax',
  family: 'activations',
  formula: 'eˣⁱ / Σⱼ eˣʲ',
  description: 'Turns scores into probabilities that are positive and sum to one.',
  aliases: ['probabilities'],
  inputs: [{ name: 'x' }],
  outputs: [{ name: 'y' }],
  attrs: {},
  shape: (inputs) => ({ y: only(inputs) }),
  flops: (inputs) => 3 * sizeOf(only(inputs)),
  lower: ({ ir }, inputs) => {
    const x = port(inputs, 'x')
    return { y: ir.softmax(x, lastAxis(x)) }
  },
})

/** erf from Numerical Recipes' erfc fit (error below 1.2e-7), enough for plots and checks. */
export function erf(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x))
  const y =
    1 -
    t *
      Math.exp(
        -x * x -
          1.26551223 +
          t *
            (1.00002368 +
              t *
                (0.37409196 +
                  t *
                    (0.09678418 +
                      t *
                        (-0.18628806 +
                          t *
                            (0.27886807 +
                              t *
                                (-1.13520398 +
                                  t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
      )
  return x >= 0 ? y : -y
}
