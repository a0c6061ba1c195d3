// Normalisation layers: rescale activations to zero mean and unit variance, then apply a learned
// scale (weight) and shift (bias). LayerNorm normalises each example over its features; BatchNorm
// normalises each feature over the batch while training and uses running averages at inference.
import { bool, float } from '../attrs'
import { defineLayer, last, only } from '../layer'
import { fail, sizeOf } from '../shape'

export const layerNorm = defineLayer({
  type: 'layer-norm',
  title: 'LayerNorm',
  family: 'layers',
  formula: 'y = (x − mean) / √(var + ε) · γ + β, over the last axis',
  description: 'Normalises each example over its features; used in Transformers.',
  aliases: ['layernorm', 'normalization'],
  inputs: [{ name: 'x' }],
  outputs: [{ name: 'y' }],
  attrs: {
    eps: float({ default: 1e-5, min: 1e-12, max: 1, label: 'ε' }),
    affine: bool({ default: true, label: 'Learn scale and shift' }),
  },
  shape: (inputs) => ({ y: only(inputs) }),
  params: (inputs, { affine }) => {
    const n = last(only(inputs))
    return affine ? { weight: [n], bias: [n] } : {}
  },
  flops: (inputs) => 8 * sizeOf(only(inputs)),
})

/** BatchNorm's channel axis: features for vectors [C], channels for images [C, H, W]. */
function channels(x: readonly number[]): number {
  const c = x[0]
  if (c === undefined) return fail('BatchNorm needs at least one axis', 'x')
  return c
}

export const batchNorm = defineLayer({
  type: 'batch-norm',
  title: 'BatchNorm',
  family: 'layers',
  formula: 'y = (x − μ_batch) / √(σ²_batch + ε) · γ + β',
  description:
    'Normalises each feature (or image channel) over the batch while training, and keeps ' +
    'running averages of mean and variance to use at inference.',
  aliases: ['batchnorm', 'bn', 'normalization'],
  inputs: [{ name: 'x' }],
  outputs: [{ name: 'y' }],
  attrs: {
    momentum: float({ default: 0.1, min: 0, max: 1, label: 'Momentum' }),
    eps: float({ default: 1e-5, min: 1e-12, max: 1, label: 'ε' }),
  },
  shape: (inputs) => {
    const x = only(inputs)
    if (x.length !== 1 && x.length !== 3) {
      fail('BatchNorm takes features [C] or images [C, H, W]', 'x')
    }
    return { y: x }
  },
  params: (inputs) => ({ weight: [channels(only(inputs))], bias: [channels(only(inputs))] }),
  state: (inputs) => ({
    running_mean: [channels(only(inputs))],
    running_var: [channels(only(inputs))],
  }),
  flops: (inputs) => 8 * sizeOf(only(inputs)),
})
