// The exporters without their clients: what the ONNX file declares, what the PyTorch file
// says, that every layer has a rule in both, and what they refuse. (real-clients.test.ts runs
// the files in PyTorch and ONNX Runtime.)
import { describe, expect, it } from 'vitest'
import { layers } from '../graph/registry'
import { chain } from '../graph/test-graphs'
import { everyLayerCase, randomWeights } from './export-cases-node'
import { ExportError, planExport } from './export-graph'
import { ONNX_OUTPUT, toOnnx } from './onnx'
import { ONNX_LAYERS } from './onnx-layers'
import { modelProto } from './onnx-schema'
import { toPytorch } from './pytorch'
import { TORCH_LAYERS } from './pytorch-layers'

interface Decoded {
  irVersion: number
  opsetImport: { domain: string; version: number }[]
  graph: {
    node: { opType: string; input: string[]; output: string[] }[]
    initializer: { name: string; dims: number[] }[]
    input: { name: string; type: { tensorType: { shape: { dim: object[] } } } }[]
    output: { name: string }[]
  }
  metadataProps: { key: string; value: string }[]
}

function decode(bytes: Uint8Array): Decoded {
  const type = modelProto()
  // toObject with numbers for int64 gives plain JSON-shaped data; the shape is ONNX's.
  return type.toObject(type.decode(bytes), { longs: Number, defaults: true }) as Decoded
}

const mlp = chain([
  ['input', 'input', { shape: '3' }],
  ['dense1', 'dense', { units: 4 }],
  ['act', 'relu'],
  ['out', 'dense', { units: 2 }],
  ['loss', 'softmax-cross-entropy'],
])

describe('ONNX export', () => {
  it('declares opset 17, a dynamic batch, PyTorch-named initializers and no loss', () => {
    const model = decode(toOnnx(mlp, randomWeights(mlp, 1), { name: 'mlp' }))
    expect(model.irVersion).toBe(8)
    expect(model.opsetImport).toEqual([{ domain: '', version: 17 }])
    const { graph } = model
    expect(graph.input[0]?.name).toBe('input')
    expect(graph.input[0]?.type.tensorType.shape.dim).toEqual([
      expect.objectContaining({ dimParam: 'batch' }),
      expect.objectContaining({ dimValue: 3 }),
    ])
    expect(graph.output.map((o) => o.name)).toEqual([ONNX_OUTPUT])
    expect(graph.initializer.map((t) => [t.name, t.dims])).toEqual([
      ['dense1.weight', [4, 3]],
      ['dense1.bias', [4]],
      ['out.weight', [2, 4]],
      ['out.bias', [2]],
    ])
    expect(graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm'])
    expect(model.metadataProps.map((p) => p.key)).toContain('dendrite.graph')
  })

  it('spells out the layers opset 17 lacks and maps the rest one to one', () => {
    const c = everyLayerCase()
    const ops = new Set(decode(toOnnx(c.graph, c.weights)).graph.node.map((n) => n.opType))
    for (const op of ['Conv', 'BatchNormalization', 'MaxPool', 'AveragePool', 'Erf', 'Tanh']) {
      expect(ops).toContain(op)
    }
    expect(ops).toContain('LayerNormalization')
    expect(ops).toContain('MatMul')
    expect(ops).not.toContain('Gelu')
  })

  it('begins with Sub(input_mean) and Div(input_std) when the data set was standardised', () => {
    const normalization = { mean: [1, 2, 3], std: [4, 5, 6] }
    const model = decode(toOnnx(mlp, randomWeights(mlp, 1), { normalization }))
    const { node, initializer, input } = model.graph
    expect(input.map((i) => i.name)).toEqual(['input'])
    expect(node.map((n) => [n.opType, n.input, n.output])).toEqual([
      ['Sub', ['input', 'input_mean'], ['input_centred']],
      ['Div', ['input_centred', 'input_std'], ['input_standardized']],
      ['Gemm', ['input_standardized', 'dense1.weight', 'dense1.bias'], ['dense1']],
      ['Relu', ['dense1'], ['act']],
      ['Gemm', ['act', 'out.weight', 'out.bias'], [ONNX_OUTPUT]],
    ])
    expect(initializer.slice(-2).map((t) => [t.name, t.dims])).toEqual([
      ['input_mean', [3]],
      ['input_std', [3]],
    ])
    const meta = model.metadataProps.find((p) => p.key === 'dendrite.input_normalization')
    expect(JSON.parse(meta?.value ?? 'null')).toEqual(normalization)
    const plain = decode(toOnnx(mlp, randomWeights(mlp, 1)))
    expect(plain.graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm'])
    expect(plain.metadataProps.map((p) => p.key)).toEqual(['dendrite.graph'])
  })

  it('names the standardisation apart from nodes, and refuses one of the wrong size', () => {
    const g = chain([
      ['input', 'input', { shape: '2' }],
      ['input_mean', 'relu'],
    ])
    const model = decode(toOnnx(g, {}, { normalization: { mean: [0, 1], std: [1, 2] } }))
    expect(model.graph.node[0]?.input).toEqual(['input', 'input_mean_2'])
    expect(() => toOnnx(g, {}, { normalization: { mean: [0], std: [1] } })).toThrow(
      /1 means and 1 standard deviations, but each input has 2 values/,
    )
  })

  it('refuses missing or wrongly-shaped weights, naming each', () => {
    const weights = randomWeights(mlp, 1)
    delete weights['out.bias']
    weights['dense1.weight'] = { shape: [3, 4], data: new Float32Array(12) }
    expect(() => toOnnx(mlp, weights)).toThrow(ExportError)
    expect(() => toOnnx(mlp, weights)).toThrow(/missing tensor "out.bias"[^]*"dense1.weight" has/)
  })

  it('refuses a graph that does not validate, naming the node', () => {
    const broken = chain([
      ['input', 'input', { shape: '3' }],
      ['dense1', 'dense', { units: -1 }],
    ])
    expect(() => planExport(broken)).toThrow(/dense1: Units must be between/)
  })
})

describe('PyTorch export', () => {
  it('starts with a usage example and names submodules after the nodes', () => {
    const text = toPytorch(mlp, { name: 'mlp', weightsFile: 'mlp.safetensors', moduleName: 'mlp' })
    expect(text.startsWith('"""mlp: a PyTorch module exported from Dendrite')).toBe(true)
    expect(text).toContain('from mlp import load_model')
    expect(text).toContain('load_model("mlp.safetensors")')
    expect(text).toContain('self.dense1 = nn.Linear(3, 4, bias=True)')
    expect(text).toContain('out = self.out(act)  # [N, 2]')
    expect(text).not.toMatch(/loss|CrossEntropy/)
    expect(text.split('\n').every((line) => line.length <= 100)).toBe(true)
  })

  it('standardises raw inputs in forward() when the data set was standardised', () => {
    const text = toPytorch(mlp, { normalization: { mean: [1, 2, 3], std: [4, 5, 6] } })
    expect(text).toContain('INPUT_MEAN = [1, 2, 3]')
    expect(text).toContain('INPUT_STD = [4, 5, 6]')
    expect(text).toContain('self.register_buffer("input_mean", mean, persistent=False)')
    expect(text).toContain('self.register_buffer("input_std", std, persistent=False)')
    expect(text).toMatch(
      /def forward\(self, x\):\n.*raw inputs.*\n\s+x = \(x - self\.input_mean\) \/ self\.input_std/,
    )
    expect(text).toContain('x = torch.randn(8, 3)  # a batch of 8 raw inputs')
    expect(text).not.toContain('def standardize')
    const plain = toPytorch(mlp)
    expect(plain).not.toMatch(/INPUT_MEAN|input_mean|raw inputs/)
  })

  it("renames a node that would take a standardising Model's buffer name", () => {
    const g = chain([
      ['input', 'input', { shape: '2' }],
      ['input_std', 'relu'],
    ])
    const normalization = { mean: [0, 1], std: [1, 2] }
    expect(toPytorch(g, { normalization })).toContain('self.node_input_std = nn.ReLU()')
    expect(toPytorch(g)).toContain('self.input_std = nn.ReLU()')
  })

  it('keeps every line within 100 columns, even for a long graph', () => {
    const text = toPytorch(everyLayerCase().graph)
    expect(text.split('\n').filter((line) => line.length > 100)).toEqual([])
  })

  it('refuses a node with weights whose id PyTorch cannot use, and renames one without', () => {
    const clash = chain([
      ['input', 'input', { shape: '3' }],
      ['training', 'dense', { units: 4 }],
    ])
    expect(() => toPytorch(clash)).toThrow(/rename the node/)
    const renamed = chain([
      ['input', 'input', { shape: '3' }],
      ['eval', 'relu'],
      ['d.1', 'flatten'],
    ])
    expect(toPytorch(renamed)).toMatch(/self\.node_eval = nn\.ReLU\(\)[^]*self\.node_d_1 =/)
  })
})

describe('layer coverage', () => {
  it('every layer but the losses has an ONNX rule and a PyTorch rule', () => {
    const exported = [...layers.values()].filter((l) => l.family !== 'losses').map((l) => l.type)
    expect(exported.filter((t) => !(t in ONNX_LAYERS))).toEqual([])
    expect(exported.filter((t) => !(t in TORCH_LAYERS))).toEqual([])
    expect(Object.keys(ONNX_LAYERS).sort()).toEqual([...exported].sort())
    expect(Object.keys(TORCH_LAYERS).sort()).toEqual([...exported].sort())
  })
})
