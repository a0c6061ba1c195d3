// Structure: layers that route tensors without learning — branches joined by Add or Concat,
// reshaping between image and vector layers, and Dropout, which only acts while training.
import { float, int, shape } from '../attrs'
import { defineLayer, only, port } from '../layer'
import { fail, formatShape, sameShape, sizeOf } from '../shape'
import type { Shape } from '../shape'

function operand(inputs: Readonly<Record<string, Shape>>, port: string): Shape {
  return inputs[port] ?? fail(`input "${port}" has no shape`, port)
}

export const add = defineLayer({
  type: 'add',
  title: 'Add',
  family: 'structure',
  formula: 'y = a + b',
  description: 'Adds two tensors of the same shape: a skip connection joins a branch back here.',
  aliases: ['sum', 'residual', 'skip connection'],
  inputs: [{ name: 'a' }, { name: 'b' }],
  outputs: [{ name: 'y' }],
  attrs: {},
  shape: (inputs) => {
    const a = operand(inputs, 'a')
    const b = operand(inputs, 'b')
    if (!sameShape(a, b))
      fail(`Add needs equal shapes, got ${formatShape(a)} and ${formatShape(b)}`)
    return { y: a }
  },
  flops: (inputs) => sizeOf(operand(inputs, 'a')),
  lower: ({ ir }, inputs) => ({ y: ir.add(port(inputs, 'a'), port(inputs, 'b')) }),
})

export const concat = defineLayer({
  type: 'concat',
  title: 'Concat',
  family: 'structure',
  formula: 'y = [a, b]',
  description: 'Joins two tensors along one axis; every other axis must agree.',
  aliases: ['concatenate', 'join', 'merge'],
  inputs: [{ name: 'a' }, { name: 'b' }],
  outputs: [{ name: 'y' }],
  attrs: { axis: int({ default: -1, min: -8, max: 7, label: 'Axis' }) },
  shape: (inputs, { axis }) => {
    const a = operand(inputs, 'a')
    const b = operand(inputs, 'b')
    const k = axis < 0 ? a.length + axis : axis
    if (k < 0 || k >= a.length) fail(`axis ${axis} does not exist in ${formatShape(a)}`)
    const agree = a.length === b.length && a.every((d, i) => i === k || d === b[i])
    if (!agree) {
      fail(
        `Concat on axis ${axis} needs all other axes equal, got ${formatShape(a)} and ` +
          formatShape(b),
      )
    }
    return { y: a.map((d, i) => (i === k ? d + (b[i] ?? 0) : d)) }
  },
  lower: ({ ir }, inputs, _, { axis }) => {
    const a = port(inputs, 'a')
    // IR values have the batch axis first; a non-negative axis counts per-example axes.
    const k = axis < 0 ? a.shape.length + axis : axis + 1
    return { y: ir.concat([a, port(inputs, 'b')], k) }
  },
})

export const reshape = defineLayer({
  type: 'reshape',
  title: 'Reshape',
  family: 'structure',
  description: 'Rearranges the same numbers into another shape with the same count.',
  inputs: [{ name: 'x' }],
  outputs: [{ name: 'y' }],
  attrs: { shape: shape({ default: '1', label: 'Shape' }) },
  shape: (inputs, { shape: target }) => {
    const x = only(inputs)
    if (sizeOf(x) !== sizeOf(target)) {
      fail(
        `cannot reshape ${formatShape(x)} (${sizeOf(x)} values) into ${formatShape(target)} ` +
          `(${sizeOf(target)} values)`,
      )
    }
    return { y: target }
  },
  lower: ({ ir, batch }, inputs, _, { shape: target }) => ({
    y: ir.reshape(port(inputs, 'x'), [batch, ...target]),
  }),
})

export const flatten = defineLayer({
  type: 'flatten',
  title: 'Flatten',
  family: 'structure',
  description: 'Turns an image (channels × height × width) into one long vector for Dense.',
  inputs: [{ name: 'x' }],
  outputs: [{ name: 'y' }],
  attrs: {},
  shape: (inputs) => ({ y: [sizeOf(only(inputs))] }),
  lower: ({ ir, batch }, inputs) => {
    const x = port(inputs, 'x')
    return { y: ir.reshape(x, [batch, sizeOf(x.shape.slice(1))]) }
  },
})

export const dropout = defineLayer({
  type: 'dropout',
  title: 'Dropout',
  family: 'structure',
  formula: 'y = x·m / (1 − p), m ~ Bernoulli(1 − p)',
  description:
    'While training, zeroes each value with probability p and scales the rest up; at ' +
    'inference it passes values through. It keeps units from relying on each other.',
  inputs: [{ name: 'x' }],
  outputs: [{ name: 'y' }],
  attrs: { p: float({ default: 0.5, min: 0, max: 0.99, label: 'Drop probability' }) },
  shape: (inputs) => ({ y: only(inputs) }),
  lower: (ctx, inputs, _, { p }) => {
    const x = port(inputs, 'x')
    if (!ctx.training || p === 0) return { y: x }
    const { ir } = ctx
    const keep = ir.stopGradient(ir.cmpGt(ir.randomUniform(ctx.stepKey(), x.shape, ctx.seed), p))
    return { y: ir.mul(ir.mul(x, keep), 1 / (1 - p)) }
  },
})
