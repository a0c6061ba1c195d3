// Losses: one number saying how wrong the predictions are, averaged over the batch. Training
// moves every parameter downhill on it. The target comes from the data set unless wired in.
import { float } from '../attrs'
import type { AttrSpecs, AttrValues } from '../attrs'
import type { ProgramBuilder, Value } from '../../ir'
import { defineLayer, last, only, port } from '../layer'
import type { Layer, Shapes } from '../layer'
import { batchMean, softplus } from '../lower-helpers'
import { fail, formatShape, sameShape } from '../shape'

export type TargetKind = 'values' | 'class-index'

interface LossSpec<A extends AttrSpecs> {
  type: string
  title: string
  formula: string
  description: string
  aliases: readonly string[]
  attrs: A
  /** What the target holds: values shaped like the prediction, or one class index per example. */
  target: TargetKind
  check?: (x: Shapes[string], attrs: AttrValues<A>) => void
  /** The batch's mean loss from predictions x and targets t (shaped as `target` says). */
  lower: (ir: ProgramBuilder, x: Value, t: Value, attrs: AttrValues<A>) => Value
}

export interface Loss extends Layer {
  readonly target: TargetKind
}

function defineLoss<const A extends AttrSpecs>(spec: LossSpec<A>): Loss {
  const layer = defineLayer({
    type: spec.type,
    title: spec.title,
    family: 'losses',
    formula: spec.formula,
    description: spec.description,
    aliases: spec.aliases,
    inputs: [
      { name: 'x', label: 'prediction' },
      { name: 'target', optional: true },
    ],
    outputs: [{ name: 'loss' }],
    attrs: spec.attrs,
    shape: (inputs, attrs) => {
      const x = only(inputs)
      spec.check?.(x, attrs)
      const t = inputs.target
      const want = spec.target === 'values' ? x : x.slice(0, -1)
      if (t && !sameShape(t, want)) {
        fail(
          `the target must be ${formatShape(want)} to match the prediction, got ` + formatShape(t),
          'target',
        )
      }
      return { loss: [] }
    },
    lower: (ctx, inputs, _, attrs) => {
      const x = port(inputs, 'x')
      const want = spec.target === 'values' ? x.shape : x.shape.slice(0, -1)
      const t = ctx.ir.stopGradient(inputs.target ?? ctx.target(want))
      return { loss: spec.lower(ctx.ir, x, t, attrs) }
    },
  })
  return { ...layer, target: spec.target }
}

export const mse = defineLoss({
  type: 'mse',
  title: 'MSE loss',
  formula: 'mean((x − t)²)',
  target: 'values',
  attrs: {},
  aliases: ['mean squared error', 'l2 loss', 'regression'],
  description: 'Mean squared error, the usual loss for regression; big misses cost the most.',
  lower: (ir, x, t) => batchMean(ir, ir.square(ir.sub(x, t))),
})
export const mae = defineLoss({
  type: 'mae',
  title: 'MAE loss',
  formula: 'mean(|x − t|)',
  target: 'values',
  attrs: {},
  aliases: ['mean absolute error', 'l1 loss'],
  description: 'Mean absolute error: every unit of miss costs the same, so outliers matter less.',
  lower: (ir, x, t) => batchMean(ir, ir.abs(ir.sub(x, t))),
})
export const huber = defineLoss({
  type: 'huber',
  title: 'Huber loss',
  target: 'values',
  formula: '½(x − t)² if |x − t| ≤ δ, else δ·(|x − t| − ½δ)',
  attrs: { delta: float({ default: 1, min: 1e-6, max: 1e6, label: 'δ' }) },
  aliases: ['smooth l1'],
  description: 'Squared for small misses, absolute for large ones: MSE that forgives outliers.',
  lower: (ir, x, t, { delta }) => {
    const d = ir.abs(ir.sub(x, t))
    const small = ir.stopGradient(ir.cmpGt(d, delta))
    const quadratic = ir.mul(ir.square(d), 0.5)
    const linear = ir.mul(ir.sub(d, delta / 2), delta)
    return batchMean(ir, ir.where(small, linear, quadratic))
  },
})
export const bceWithLogits = defineLoss({
  type: 'bce-with-logits',
  title: 'Binary cross-entropy',
  target: 'values',
  attrs: {},
  formula: 'mean(softplus(x) − x·t)',
  aliases: ['bce', 'logistic loss', 'binary classification', 'sigmoid cross entropy'],
  description:
    'For yes/no targets in [0, 1]; takes raw scores (logits) and applies the sigmoid itself, ' +
    'which is more accurate than a Sigmoid layer followed by a log.',
  lower: (ir, x, t) => batchMean(ir, ir.sub(softplus(ir, x), ir.mul(x, t))),
})
export const softmaxCrossEntropy = defineLoss({
  type: 'softmax-cross-entropy',
  title: 'Cross-entropy',
  target: 'class-index',
  attrs: {},
  formula: 'mean(log Σⱼ e^{xⱼ} − x_t)',
  aliases: ['cross entropy', 'categorical', 'classification', 'nll', 'log loss'],
  description:
    'For one class out of several; takes raw scores (logits) and integer class labels, and ' +
    'applies the softmax itself.',
  check: (x) => {
    if (last(x) < 2) fail('cross-entropy needs at least two class scores', 'x')
  },
  lower: (ir, x, t) => {
    const axis = x.shape.length - 1
    const picked = ir.sum(ir.mul(ir.logSoftmax(x, axis), oneHot(ir, t, x.shape)), [axis])
    return ir.neg(batchMean(ir, picked))
  },
})

/** 1 where the class axis (last) equals the label, else 0; labels are whole numbers. */
export function oneHot(ir: ProgramBuilder, labels: Value, shape: readonly number[]): Value {
  const axis = shape.length - 1
  const classes = ir.iota(shape, axis)
  const distance = ir.abs(ir.sub(classes, ir.reshape(labels, [...labels.shape, 1])))
  return ir.stopGradient(ir.sub(1, ir.cmpGt(distance, 0.5)))
}
