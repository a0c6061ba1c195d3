// ONNX export (opset 17, IR version 8) of a graph's inference path with its trained weights: one
// float input [batch, …Input shape] with a dynamic batch, one output, the prediction (the node
// feeding the loss; losses are not exported). Dropout is the identity and BatchNorm uses its
// running statistics, as at inference in the studio. When the data set was standardised, the
// graph takes raw inputs as the studio does and begins with Sub(input_mean) and Div(input_std),
// the data set's statistics as initializers. Encoding uses protobufjs, whose generated
// coders need `new Function`: run it in Node or a context whose CSP allows that.
import type { Normalization } from '../data/dataset'
import type { ModelGraph } from '../graph/model-graph'
import type { Shape } from '../graph/shape'
import { ENGINE_VERSION } from '../version'
import type { ExportPlan } from './export-graph'
import { ExportError, planExport, requireNormalization, requireWeights } from './export-graph'
import { OnnxEmitter } from './onnx-emitter'
import { ONNX_LAYERS } from './onnx-layers'
import { ONNX_FLOAT, modelProto } from './onnx-schema'
import type { WeightMap } from './safetensors'
import { META_NORMALIZATION } from './safetensors'

export const ONNX_OPSET = 17
export const ONNX_IR_VERSION = 8
/** The model output's name; the input is named after the graph's Input node. */
export const ONNX_OUTPUT = 'prediction'

export interface OnnxOptions {
  /** The model's name (the project's). */
  readonly name?: string
  /**
   * The data set's input standardisation: the graph applies it to raw inputs first, and
   * metadata_props records it as dendrite.input_normalization.
   */
  readonly normalization?: Normalization | undefined
}

export function toOnnx(
  graph: ModelGraph,
  weights: WeightMap,
  options: OnnxOptions = {},
): Uint8Array {
  const plan = planExport(graph)
  requireWeights(plan, weights)
  const e = new OnnxEmitter()
  for (const [name, shape] of Object.entries(plan.weights)) {
    e.floats(name, shape, weights[name]?.data ?? [])
  }
  const norm = options.normalization
  emitNodes(e, plan, norm ? standardize(e, plan, norm) : plan.input.node)
  const metadata = norm ? { [META_NORMALIZATION]: JSON.stringify(norm) } : {}
  const takes = norm ? 'raw inputs, standardised in the graph' : 'inputs'
  const type = modelProto()
  const message = type.fromObject({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'Dendrite',
    producerVersion: ENGINE_VERSION,
    modelVersion: 1,
    docString: `${options.name ?? 'model'}: exported from Dendrite, inference graph on ${takes}.`,
    graph: {
      name: options.name ?? 'dendrite',
      node: e.nodes,
      initializer: e.initializers,
      input: [valueInfo(plan.input.node, plan.input.shape)],
      output: [valueInfo(ONNX_OUTPUT, plan.output.shape)],
    },
    metadataProps: Object.entries({ 'dendrite.graph': JSON.stringify(graph), ...metadata })
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ key, value })),
  })
  return type.encode(message).finish()
}

/**
 * (input − input_mean) / input_std, per input element, as the studio standardises raw inputs;
 * returns the standardised tensor's name. Names avoid the graph's node ids (node outputs).
 */
function standardize(e: OnnxEmitter, plan: ExportPlan, n: Normalization): string {
  const ids = new Set(plan.nodes.map((node) => node.id))
  const name = (base: string) => {
    let i = 2
    let out = base
    while (ids.has(out)) out = `${base}_${i++}`
    return out
  }
  requireNormalization(plan, n)
  const shape = plan.input.shape
  const mean = e.floats(name('input_mean'), shape, n.mean)
  const std = e.floats(name('input_std'), shape, n.std)
  const centred = e.op('Sub', [plan.input.node, mean], name('input_centred'))
  return e.op('Div', [centred, std], name('input_standardized'))
}

function emitNodes(e: OnnxEmitter, plan: ExportPlan, input: string): void {
  const tensor = new Map<string, string>()
  for (const n of plan.nodes) {
    const isOutput = n.id === plan.output.node
    if (n.type === 'input' && !isOutput) {
      tensor.set(n.id, input)
      continue
    }
    const rule = ONNX_LAYERS[n.type]
    if (!rule) throw new ExportError([`${n.id}: ONNX export has no rule for "${n.type}" layers`])
    const out = isOutput ? ONNX_OUTPUT : n.id
    const x = (port: string): string => {
      if (n.type === 'input') return input
      const source = n.inputs[port]
      const name = source === undefined ? undefined : tensor.get(source)
      if (name === undefined) throw new ExportError([`${n.id}: input "${port}" has no tensor`])
      return name
    }
    rule(e, n, x, out)
    tensor.set(n.id, out)
  }
}

function valueInfo(name: string, shape: Shape) {
  const dim = [{ dimParam: 'batch' }, ...shape.map((d) => ({ dimValue: d }))]
  return { name, type: { tensorType: { elemType: ONNX_FLOAT, shape: { dim } } } }
}
