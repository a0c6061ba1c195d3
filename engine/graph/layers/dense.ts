// Dense (fully connected): y = x·Wᵀ + b. n outputs over m inputs: m·n weights and n biases,
// which is "a lot". Weights use PyTorch's layout, [out, in], so exports need no transpose.
import { bool, choice, float, int } from '../attrs'
import { defineLayer, last, only, port } from '../layer'
import { fail, sizeOf } from '../shape'

export const INITIALISERS = [
  'he-uniform',
  'he-normal',
  'xavier-uniform',
  'xavier-normal',
  'zeros',
] as const

export const dense = defineLayer({
  type: 'dense',
  title: 'Dense',
  family: 'layers',
  description:
    'Each of its units is a neuron: a weighted sum of all inputs plus a bias. ' +
    'With m inputs and n units it is n linear models side by side, m·n + n parameters.',
  formula: 'y = x·Wᵀ + b',
  aliases: ['fc', 'linear', 'fully connected', 'perceptron', 'neuron'],
  inputs: [{ name: 'x' }],
  outputs: [{ name: 'y' }],
  attrs: {
    units: int({ default: 8, min: 1, max: 65536, label: 'Units' }),
    bias: bool({ default: true, label: 'Bias' }),
    init: choice({ default: 'xavier-uniform', options: INITIALISERS, label: 'Initialiser' }),
    l1: float({ default: 0, min: 0, max: 10, label: 'L1 penalty' }),
    l2: float({ default: 0, min: 0, max: 10, label: 'L2 penalty' }),
  },
  shape: (inputs, { units }) => {
    const x = only(inputs)
    if (x.length < 1) fail('Dense needs at least one input dimension', 'x')
    return { y: [...x.slice(0, -1), units] }
  },
  params: (inputs, { units, bias }) => {
    const m = last(only(inputs))
    return bias ? { weight: [units, m], bias: [units] } : { weight: [units, m] }
  },
  flops: (inputs, _, { units }) => {
    const x = only(inputs)
    const rows = sizeOf(x.slice(0, -1))
    return 2 * rows * last(x) * units
  },
  lower: ({ ir }, inputs, params) => {
    const y = ir.matmul(port(inputs, 'x'), port(params, 'weight'), { transposeB: true })
    return { y: params.bias ? ir.add(y, params.bias) : y }
  },
})
