// Normalisation layers: rescale activations to zero mean and unit variance, then apply a learned
// scale (weight) and shift (bias). LayerNorm normalises each example over its features; BatchNorm
// normalises each feature over the batch while training and uses running averages at inference.
import { bool, float } from '../attrs'
import type { ProgramBuilder, Value } from '../../ir'
import { defineLayer, last, only, port } from '../layer'
import type { LowerContext, Values } from '../layer'
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
  init: () => ({ weight: 'ones' }),
  lower: ({ ir }, inputs, params, { eps }) => {
    const x = port(inputs, 'x')
    const axis = x.shape.length - 1
    const centred = ir.sub(x, ir.mean(x, [axis], true))
    const variance = ir.mean(ir.square(centred), [axis], true)
    const y = ir.div(centred, ir.sqrt(ir.add(variance, eps)))
    return { y: params.weight && params.bias ? ir.add(ir.mul(y, params.weight), params.bias) : y }
  },
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
  init: () => ({ weight: 'ones', running_var: 'ones' }),
  lower: (ctx, inputs, params, { momentum, eps }) => ({
    y: lowerBatchNorm(ctx, port(inputs, 'x'), params, momentum, eps),
  }),
})

/** Per-channel values [C] shaped to broadcast over [B, C] or [B, C, H, W]. */
function perChannel(ir: ProgramBuilder, v: Value, x: Value): Value {
  return x.shape.length === 4 ? ir.reshape(v, [v.shape[0] ?? 1, 1, 1]) : v
}

function lowerBatchNorm(
  ctx: LowerContext,
  x: Value,
  params: Values,
  momentum: number,
  eps: number,
): Value {
  const { ir } = ctx
  const axes = x.shape.length === 4 ? [0, 2, 3] : [0]
  const count = axes.reduce((n, a) => n * (x.shape[a] ?? 1), 1)
  let mean: Value
  let variance: Value
  if (ctx.training) {
    mean = ir.mean(x, axes, true)
    variance = ir.mean(ir.square(ir.sub(x, mean)), axes, true)
    const c = [x.shape[1] ?? 1]
    const batchMean = ir.reshape(ir.stopGradient(mean), c)
    // PyTorch keeps the unbiased variance in running_var.
    const unbiased = ir.mul(
      ir.reshape(ir.stopGradient(variance), c),
      count / Math.max(1, count - 1),
    )
    const blend = (old: Value, now: Value) =>
      ir.add(ir.mul(old, 1 - momentum), ir.mul(now, momentum))
    ctx.updateState('running_mean', blend(ctx.state('running_mean'), batchMean))
    ctx.updateState('running_var', blend(ctx.state('running_var'), unbiased))
  } else {
    mean = perChannel(ir, ctx.state('running_mean'), x)
    variance = perChannel(ir, ctx.state('running_var'), x)
  }
  const y = ir.div(ir.sub(x, mean), ir.sqrt(ir.add(variance, eps)))
  return ir.add(
    ir.mul(y, perChannel(ir, port(params, 'weight'), x)),
    perChannel(ir, port(params, 'bias'), x),
  )
}
