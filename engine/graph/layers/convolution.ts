// Image layers over [channels, height, width]: Conv2D slides small learned filters over the
// image (weights shared across positions, so far fewer than Dense); pooling shrinks the image.
import { choice, float, int } from '../attrs'
import { defineLayer, only, port } from '../layer'
import type { Shapes } from '../layer'
import { fail, formatShape, sizeOf } from '../shape'
import { INITIALISERS } from './dense'

function image(inputs: Shapes): [number, number, number] {
  const x = only(inputs)
  const [c, h, w] = x
  if (x.length !== 3 || c === undefined || h === undefined || w === undefined) {
    return fail(`needs an image [channels, height, width], got ${formatShape(x)}`, 'x')
  }
  return [c, h, w]
}

/** Output length of a window sliding over n positions, PyTorch's floor rule. */
export function slide(n: number, kernel: number, stride: number, padding: number): number {
  const out = Math.floor((n + 2 * padding - kernel) / stride) + 1
  if (out < 1) {
    fail(`a ${kernel}-wide window does not fit ${n} positions with padding ${padding}`, 'x')
  }
  return out
}

const windowAttrs = (kernel: number) => ({
  kernel: int({ default: kernel, min: 1, max: 31, label: 'Kernel size' }),
  stride: int({ default: kernel === 3 ? 1 : kernel, min: 1, max: 31, label: 'Stride' }),
  padding: int({ default: 0, min: 0, max: 15, label: 'Padding' }),
})

export const conv2d = defineLayer({
  type: 'conv2d',
  title: 'Conv2D',
  family: 'layers',
  formula: 'y[o,i,j] = b[o] + Σ W[o,c,u,v] · x[c, i·s+u−p, j·s+v−p]',
  description:
    'Slides learned k×k filters over the image; each filter finds one pattern wherever it is.',
  aliases: ['convolution', 'conv', 'cnn', 'filter'],
  inputs: [{ name: 'x' }],
  outputs: [{ name: 'y' }],
  attrs: {
    filters: int({ default: 8, min: 1, max: 4096, label: 'Filters' }),
    ...windowAttrs(3),
    init: choice({ default: 'he-uniform', options: INITIALISERS, label: 'Initialiser' }),
    l1: float({ default: 0, min: 0, max: 10, label: 'L1 penalty' }),
    l2: float({ default: 0, min: 0, max: 10, label: 'L2 penalty' }),
  },
  shape: (inputs, { filters, kernel, stride, padding }) => {
    const [, h, w] = image(inputs)
    return { y: [filters, slide(h, kernel, stride, padding), slide(w, kernel, stride, padding)] }
  },
  params: (inputs, { filters, kernel }) => ({
    weight: [filters, image(inputs)[0], kernel, kernel],
    bias: [filters],
  }),
  flops: (inputs, outputs, { kernel }) => {
    const y = outputs.y ?? []
    return 2 * image(inputs)[0] * kernel * kernel * sizeOf(y)
  },
  lower: ({ ir }, inputs, params, { stride, padding }) => {
    const y = ir.conv2d(port(inputs, 'x'), port(params, 'weight'), {
      stride: [stride, stride],
      padding: [padding, padding],
    })
    const bias = port(params, 'bias')
    return { y: ir.add(y, ir.reshape(bias, [bias.shape[0] ?? 1, 1, 1])) }
  },
})

function definePool(type: 'max-pool2d' | 'avg-pool2d', title: string, description: string) {
  return defineLayer({
    type,
    title,
    family: 'layers',
    description,
    aliases: ['pooling', 'downsample'],
    inputs: [{ name: 'x' }],
    outputs: [{ name: 'y' }],
    attrs: windowAttrs(2),
    shape: (inputs, { kernel, stride, padding }) => {
      const [c, h, w] = image(inputs)
      if (padding * 2 > kernel) fail(`padding ${padding} is more than half the kernel ${kernel}`)
      return { y: [c, slide(h, kernel, stride, padding), slide(w, kernel, stride, padding)] }
    },
    flops: (_, outputs, { kernel }) => kernel * kernel * sizeOf(outputs.y ?? []),
    lower: ({ ir }, inputs, _, { kernel, stride, padding }) => {
      const o = { kernel: [kernel, kernel], stride: [stride, stride], padding: [padding, padding] }
      const x = port(inputs, 'x')
      return { y: type === 'max-pool2d' ? ir.maxpool2d(x, o) : ir.avgpool2d(x, o) }
    },
  })
}

export const maxPool2d = definePool(
  'max-pool2d',
  'MaxPool2D',
  'Keeps the largest value of each window: the image shrinks, strong responses survive.',
)
export const avgPool2d = definePool(
  'avg-pool2d',
  'AvgPool2D',
  'Averages each window: the image shrinks and is smoothed.',
)
