// Each exportable layer as PyTorch source: the nn module its node becomes in __init__ (named as
// the node, so state-dict keys are the studio's <node>.<param> names), and the expression its
// node computes in forward(). Layers without a module (Add, Concat, Reshape, Sine) are inline.
import type { ExportNode } from './export-graph'

export interface TorchRule {
  /** The constructor call, or null for layers computed inline. */
  readonly module: (n: ExportNode) => string | null
  /** The forward expression from the input variables by port and the module reference. */
  readonly call: (n: ExportNode, x: (port: string) => string, module: string) => string
}

const num = (n: ExportNode, name: string): number => {
  const v = n.attrs[name]
  if (typeof v !== 'number') throw new Error(`${n.id}: attribute ${name} is not a number`)
  return v
}
/** A Python float literal (1 → 1.0, 1e-5 → 0.00001). */
export const pyFloat = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v))
const pyBool = (v: unknown): string => (v === true ? 'True' : 'False')
const inShape = (n: ExportNode, port = 'x'): readonly number[] => n.inputShapes[port] ?? []
const applied: TorchRule['call'] = (_, x, m) => `${m}(${x('x')})`
const plain = (ctor: string): TorchRule => ({ module: () => `nn.${ctor}()`, call: applied })
const withArgs = (ctor: (n: ExportNode) => string): TorchRule => ({
  module: (n) => `nn.${ctor(n)}`,
  call: applied,
})
const window = (n: ExportNode) =>
  `kernel_size=${num(n, 'kernel')}, stride=${num(n, 'stride')}, padding=${num(n, 'padding')}`

export const TORCH_LAYERS: Readonly<Record<string, TorchRule>> = {
  input: { module: () => null, call: (_, x) => x('x') },
  dense: withArgs(
    (n) => `Linear(${inShape(n).at(-1) ?? 1}, ${num(n, 'units')}, bias=${pyBool(n.attrs.bias)})`,
  ),
  conv2d: withArgs((n) => `Conv2d(${inShape(n)[0] ?? 1}, ${num(n, 'filters')}, ${window(n)})`),
  'max-pool2d': withArgs((n) => `MaxPool2d(${window(n)})`),
  'avg-pool2d': withArgs((n) => `AvgPool2d(${window(n)}, count_include_pad=True)`),
  embedding: {
    module: (n) => `nn.Embedding(${num(n, 'vocab')}, ${num(n, 'dim')})`,
    call: (_, x, m) => `${m}(${x('x')}.long())`,
  },
  'layer-norm': withArgs(
    (n) =>
      `LayerNorm(${inShape(n).at(-1) ?? 1}, eps=${pyFloat(num(n, 'eps'))}, ` +
      `elementwise_affine=${pyBool(n.attrs.affine)})`,
  ),
  'batch-norm': withArgs(
    (n) =>
      `BatchNorm${inShape(n).length === 3 ? '2d' : '1d'}(${inShape(n)[0] ?? 1}, ` +
      `eps=${pyFloat(num(n, 'eps'))}, momentum=${pyFloat(num(n, 'momentum'))})`,
  ),
  relu: plain('ReLU'),
  'leaky-relu': withArgs((n) => `LeakyReLU(negative_slope=${pyFloat(num(n, 'alpha'))})`),
  elu: withArgs((n) => `ELU(alpha=${pyFloat(num(n, 'alpha'))})`),
  selu: plain('SELU'),
  gelu: withArgs((n) => (n.attrs.approximate === 'tanh' ? `GELU(approximate="tanh")` : 'GELU()')),
  silu: plain('SiLU'),
  mish: plain('Mish'),
  sigmoid: plain('Sigmoid'),
  tanh: plain('Tanh'),
  softplus: plain('Softplus'),
  softsign: plain('Softsign'),
  'hard-sigmoid': plain('Hardsigmoid'),
  sine: { module: () => null, call: (_, x) => `torch.sin(${x('x')})` },
  identity: plain('Identity'),
  softmax: withArgs(() => 'Softmax(dim=-1)'),
  add: { module: () => null, call: (_, x) => `${x('a')} + ${x('b')}` },
  concat: {
    module: () => null,
    call: (n, x) => {
      const axis = num(n, 'axis')
      return `torch.cat([${x('a')}, ${x('b')}], dim=${axis < 0 ? axis : axis + 1})`
    },
  },
  reshape: {
    module: () => null,
    call: (n, x) => `${x('x')}.reshape(${x('x')}.shape[0], ${n.outputShape.join(', ')})`,
  },
  flatten: withArgs(() => 'Flatten()'),
  dropout: withArgs((n) => `Dropout(p=${pyFloat(num(n, 'p'))})`),
}
