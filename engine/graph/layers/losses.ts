// Losses: one number saying how wrong the predictions are, averaged over the batch. Training
// moves every parameter downhill on it. The target comes from the data set unless wired in.
import { float } from '../attrs'
import type { AttrSpecs, AttrValues } from '../attrs'
import { defineLayer, last, only } from '../layer'
import type { Layer, Shapes } from '../layer'
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
})
export const mae = defineLoss({
  type: 'mae',
  title: 'MAE loss',
  formula: 'mean(|x − t|)',
  target: 'values',
  attrs: {},
  aliases: ['mean absolute error', 'l1 loss'],
  description: 'Mean absolute error: every unit of miss costs the same, so outliers matter less.',
})
export const huber = defineLoss({
  type: 'huber',
  title: 'Huber loss',
  target: 'values',
  formula: '½(x − t)² if |x − t| ≤ δ, else δ·(|x − t| − ½δ)',
  attrs: { delta: float({ default: 1, min: 1e-6, max: 1e6, label: 'δ' }) },
  aliases: ['smooth l1'],
  description: 'Squared for small misses, absolute for large ones: MSE that forgives outliers.',
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
})
