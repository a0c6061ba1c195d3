// Checks that a graph and a data set fit each other before training: the Input's shape is the
// data's example shape, and the loss's target is what the data holds (values, class indices, or
// one-hot classes). Problems name the node, like validation does.
import type { Dataset } from '../data/dataset'
import type { ModelGraph } from '../graph/model-graph'
import { formatShape, sameShape, sizeOf } from '../graph/shape'
import type { LoweredGraph } from '../lower/lower-graph'
import { valueTable } from '../ir'
import { LoweringError, PREDICTION_OUTPUT } from '../lower/lower-graph'

export interface DataFit {
  /** Feed targets as one-hot rows (a values loss over class scores). */
  oneHot: boolean
}

export function checkDataFits(graph: ModelGraph, lowered: LoweredGraph, data: Dataset): DataFit {
  checkInput(graph, lowered, data)
  const lossNode = lowered.lossNode ?? ''
  const lossType = graph.nodes.find((n) => n.id === lossNode)?.type ?? ''
  if (lossType === 'softmax-cross-entropy') checkClasses(lowered, data, lossNode)
  const target = lowered.targetShape
  if (!target || sizeOf(target) <= 1) return { oneHot: false }
  const classes = data.classNames?.length ?? 0
  if (data.task === 'classification' && target.length === 1 && target[0] === classes) {
    return { oneHot: true }
  }
  return refuse(
    lossNode,
    `The ${lossType} loss compares ${formatShape(target)} values per example, but ` +
      `"${data.name}" has one target per example. Use one output unit, or a cross-entropy ` +
      'loss for classes.',
  )
}

function checkInput(graph: ModelGraph, lowered: LoweredGraph, data: Dataset): void {
  const input = graph.nodes.find((n) => n.type === 'input')
  if (input && !sameShape(lowered.dataShape, data.inputShape)) {
    refuse(
      input.id,
      `This Input has shape ${formatShape(lowered.dataShape)}, but each example ` +
        `of "${data.name}" has shape ${formatShape(data.inputShape)}.`,
    )
  }
}

function checkClasses(lowered: LoweredGraph, data: Dataset, lossNode: string): void {
  const classes = data.classNames?.length ?? 0
  const scores = predictionShape(lowered).at(-1) ?? 0
  if (data.task !== 'classification') {
    refuse(lossNode, `Cross-entropy needs classes, but "${data.name}" is a regression set.`)
  }
  if (scores !== classes) {
    refuse(
      lossNode,
      `"${data.name}" has ${classes} classes, so the layer before this loss needs ` +
        `${classes} outputs (it has ${scores}).`,
    )
  }
}

function predictionShape(lowered: LoweredGraph): readonly number[] {
  const out = lowered.program.outputs.find((o) => o.name === PREDICTION_OUTPUT)
  return valueTable(lowered.program).get(out?.id ?? -1)?.shape ?? []
}

function refuse(node: string, message: string): never {
  throw new LoweringError([{ severity: 'error', code: 'shape-mismatch', node, message }])
}

/** The graph with every Input's shape set to the data's example shape ("follows the data"). */
export function withDataShape(graph: ModelGraph, data: Dataset): ModelGraph {
  const shape = data.inputShape.join(', ')
  return {
    ...graph,
    nodes: graph.nodes.map((n) =>
      n.type === 'input' ? { ...n, attrs: { ...n.attrs, shape } } : n,
    ),
  }
}
