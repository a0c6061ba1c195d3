// Each exportable layer as ONNX opset-17 operators, one entry per layer type. Weights are graph
// initializers under their PyTorch names; composite layers (GELU, SiLU, Mish) are spelled out
// from primitive operators because opset 17 has no single operator for them.
import type { ExportNode } from './export-graph'
import type { OnnxEmitter } from './onnx-emitter'
import { float, int, ints } from './onnx-emitter'

/**
 * Emits a node's operators reading `x(port)` and writing its result to `out`, a name the emitter
 * handed out; every other operator output is a new name from `e.name()`.
 */
export type OnnxRule = (
  e: OnnxEmitter,
  n: ExportNode,
  x: (port: string) => string,
  out: string,
) => void

const SELU_ALPHA = 1.6732632423543772
const SELU_SCALE = 1.0507009873554805

const num = (n: ExportNode, name: string): number => {
  const v = n.attrs[name]
  if (typeof v !== 'number') throw new Error(`${n.id}: attribute ${name} is not a number`)
  return v
}
const unary =
  (opType: string): OnnxRule =>
  (e, _, x, out) => {
    e.op(opType, [x('x')], out)
  }

function window(n: ExportNode) {
  const k = num(n, 'kernel')
  const s = num(n, 'stride')
  const p = num(n, 'padding')
  return { kernel_shape: ints([k, k]), strides: ints([s, s]), pads: ints([p, p, p, p]) }
}

const dense: OnnxRule = (e, n, x, out) => {
  const w = `${n.id}.weight`
  const bias = n.attrs.bias === true ? [`${n.id}.bias`] : []
  if ((n.inputShapes.x ?? []).length === 1) {
    e.op('Gemm', [x('x'), w, ...bias], out, { transB: int(1) })
    return
  }
  const wt = e.op('Transpose', [w], e.name(`${out}/weight_t`), { perm: ints([1, 0]) })
  if (bias.length === 0) e.op('MatMul', [x('x'), wt], out)
  else e.op('Add', [e.op('MatMul', [x('x'), wt], e.name(`${out}/matmul`)), ...bias], out)
}

const gelu: OnnxRule = (e, n, x, out) => {
  const v = x('x')
  const step = (suffix: string) => e.name(`${out}/${suffix}`)
  const half = e.op('Mul', [v, e.scalar(0.5)], step('half_x'))
  let inner: string
  if (n.attrs.approximate === 'tanh') {
    const cube = e.op('Mul', [e.op('Mul', [v, v], step('x2')), v], step('x3'))
    const term = e.op('Mul', [cube, e.scalar(0.044715)], step('c_x3'))
    const sum = e.op('Add', [v, term], step('s'))
    const scaled = e.op('Mul', [sum, e.scalar(Math.sqrt(2 / Math.PI))], step('inner'))
    inner = e.op('Tanh', [scaled], step('tanh'))
  } else {
    const scaled = e.op('Mul', [v, e.scalar(Math.SQRT1_2)], step('scaled'))
    inner = e.op('Erf', [scaled], step('erf'))
  }
  e.op('Mul', [half, e.op('Add', [inner, e.scalar(1)], step('one_plus'))], out)
}

const layerNorm: OnnxRule = (e, n, x, out) => {
  const size = (n.inputShapes.x ?? []).at(-1) ?? 1
  const affine = n.attrs.affine === true
  const scale = affine ? `${n.id}.weight` : e.floats(`${out}/ones`, [size], ones(size))
  const bias = affine ? `${n.id}.bias` : e.floats(`${out}/zeros`, [size], new Float32Array(size))
  e.op('LayerNormalization', [x('x'), scale, bias], out, {
    axis: int(-1),
    epsilon: float(num(n, 'eps')),
  })
}

const batchNorm: OnnxRule = (e, n, x, out) => {
  const names = ['weight', 'bias', 'running_mean', 'running_var'].map((k) => `${n.id}.${k}`)
  e.op('BatchNormalization', [x('x'), ...names], out, { epsilon: float(num(n, 'eps')) })
}

function ones(size: number): Float32Array {
  return new Float32Array(size).fill(1)
}

export const ONNX_LAYERS: Readonly<Record<string, OnnxRule>> = {
  input: (e, _, x, out) => {
    e.op('Identity', [x('x')], out)
  },
  dense,
  conv2d: (e, n, x, out) => {
    const { kernel_shape, strides, pads } = window(n)
    const inputs = [x('x'), `${n.id}.weight`, `${n.id}.bias`]
    e.op('Conv', inputs, out, {
      kernel_shape,
      strides,
      pads,
      dilations: ints([1, 1]),
      group: int(1),
    })
  },
  'max-pool2d': (e, n, x, out) => {
    e.op('MaxPool', [x('x')], out, { ...window(n), ceil_mode: int(0) })
  },
  'avg-pool2d': (e, n, x, out) => {
    e.op('AveragePool', [x('x')], out, {
      ...window(n),
      ceil_mode: int(0),
      count_include_pad: int(1),
    })
  },
  embedding: (e, n, x, out) => {
    const ids = e.op('Cast', [x('x')], e.name(`${out}/ids`), { to: int(7) })
    e.op('Gather', [`${n.id}.weight`, ids], out, { axis: int(0) })
  },
  'layer-norm': layerNorm,
  'batch-norm': batchNorm,
  relu: unary('Relu'),
  'leaky-relu': (e, n, x, out) => {
    e.op('LeakyRelu', [x('x')], out, { alpha: float(num(n, 'alpha')) })
  },
  elu: (e, n, x, out) => {
    e.op('Elu', [x('x')], out, { alpha: float(num(n, 'alpha')) })
  },
  selu: (e, _, x, out) => {
    e.op('Selu', [x('x')], out, { alpha: float(SELU_ALPHA), gamma: float(SELU_SCALE) })
  },
  gelu,
  silu: (e, _, x, out) => {
    e.op('Mul', [x('x'), e.op('Sigmoid', [x('x')], e.name(`${out}/sigmoid`))], out)
  },
  mish: (e, _, x, out) => {
    const sp = e.op('Softplus', [x('x')], e.name(`${out}/softplus`))
    e.op('Mul', [x('x'), e.op('Tanh', [sp], e.name(`${out}/tanh`))], out)
  },
  sigmoid: unary('Sigmoid'),
  tanh: unary('Tanh'),
  softplus: unary('Softplus'),
  softsign: unary('Softsign'),
  'hard-sigmoid': (e, _, x, out) => {
    e.op('HardSigmoid', [x('x')], out, { alpha: float(1 / 6), beta: float(0.5) })
  },
  sine: unary('Sin'),
  identity: unary('Identity'),
  softmax: (e, _, x, out) => {
    e.op('Softmax', [x('x')], out, { axis: int(-1) })
  },
  add: (e, _, x, out) => {
    e.op('Add', [x('a'), x('b')], out)
  },
  concat: (e, n, x, out) => {
    const axis = num(n, 'axis')
    e.op('Concat', [x('a'), x('b')], out, { axis: int(axis < 0 ? axis : axis + 1) })
  },
  reshape: (e, n, x, out) => {
    // 0 copies the batch dimension from the input, so the batch stays dynamic.
    const shape = e.int64s(`${out}/shape`, [0, ...n.outputShape])
    e.op('Reshape', [x('x'), shape], out)
  },
  flatten: (e, _, x, out) => {
    e.op('Flatten', [x('x')], out, { axis: int(1) })
  },
  dropout: unary('Identity'),
}
