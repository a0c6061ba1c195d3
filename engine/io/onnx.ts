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
/**
 * The model output's name. The input is named after the graph's Input node, with a suffix
 * (`prediction_2`) where that name is taken, and so are node outputs (see nodeNames).
 */
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
  const output = e.name(ONNX_OUTPUT)
  for (const [name, shape] of Object.entries(plan.weights)) {
    e.weight(name, shape, weights[name]?.data ?? [])
  }
  const { input, tensors } = nodeNames(e, plan, output)
  const norm = options.normalization
  emitNodes(e, plan, norm ? standardize(e, plan, input, norm) : input, tensors)
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
      input: [valueInfo(input, plan.input.shape)],
      output: [valueInfo(output, plan.output.shape)],
    },
    metadataProps: Object.entries({ 'dendrite.graph': JSON.stringify(graph), ...metadata })
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ key, value })),
  })
  return type.encode(message).finish()
}

/**
 * Tensor names, taken before any operator so that the node ids keep theirs: the graph's input
 * is named after its Input node, each other node's output after the node (the output node's is
 * ONNX_OUTPUT). An id that is taken already (by a weight, ONNX_OUTPUT, or an id the Input node
 * had to give up) gets a suffix. The output node's id is set aside too, so that the name of a
 * node is never another tensor's.
 */
function nodeNames(e: OnnxEmitter, plan: ExportPlan, output: string) {
  const input = e.reserve(plan.input.node)
  const tensors = new Map<string, string>()
  for (const n of plan.nodes) {
    if (n.id === plan.output.node) {
      tensors.set(n.id, output)
      if (n.id !== ONNX_OUTPUT && n.id !== plan.input.node) e.reserve(n.id)
    } else if (n.type !== 'input') tensors.set(n.id, e.name(n.id))
  }
  return { input, tensors }
}

/**
 * (input − input_mean) / input_std, per input element, as the studio standardises raw inputs;
 * returns the standardised tensor's name. The emitter names them apart from the nodes' tensors.
 */
function standardize(e: OnnxEmitter, plan: ExportPlan, input: string, n: Normalization): string {
  requireNormalization(plan, n)
  const shape = plan.input.shape
  const mean = e.floats('input_mean', shape, n.mean)
  const std = e.floats('input_std', shape, n.std)
  const centred = e.op('Sub', [input, mean], e.name('input_centred'))
  return e.op('Div', [centred, std], e.name('input_standardized'))
}

/** Each node's operators; `names` has the output name of every node but a non-output Input. */
function emitNodes(
  e: OnnxEmitter,
  plan: ExportPlan,
  input: string,
  names: ReadonlyMap<string, string>,
): void {
  const tensor = new Map<string, string>()
  for (const n of plan.nodes) {
    const out = names.get(n.id)
    if (out === undefined) {
      tensor.set(n.id, input)
      continue
    }
    const rule = ONNX_LAYERS[n.type]
    if (!rule) throw new ExportError([`${n.id}: ONNX export has no rule for "${n.type}" layers`])
    const x = (port: string): string => {
      if (n.type === 'input') return input
      const source = n.inputs[port]
      const name = source === undefined ? undefined : tensor.get(source)
      if (name === undefined) throw new ExportError([`${n.id}: input "${port}" has no tensor`])
      return name
    }
    rule(e, n, x, out)
    if (e.isClaimed(out)) throw new Error(`ONNX export: ${n.id}: nothing wrote "${out}"`)
    tensor.set(n.id, out)
  }
}

function valueInfo(name: string, shape: Shape) {
  const dim = [{ dimParam: 'batch' }, ...shape.map((d) => ({ dimValue: d }))]
  return { name, type: { tensorType: { elemType: ONNX_FLOAT, shape: { dim } } } }
}
