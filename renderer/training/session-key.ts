// When a session must be made anew: the graph's structure (the Input's shape follows the data,
// so it is left out), the data recipe and file, and every setting but the learning rate and the
// epochs, which the engine changes in place.
import type { DataSpec } from '../../engine/data/spec'
import { BUILTINS } from '../../engine/data/catalog'
import type { ModelGraph } from '../../engine/graph/model-graph'
import type { TrainSettings } from '../../engine/train/settings'
import { structureKey } from '../project/graph-edits'
import type { Task } from './runs'

export function sessionKey(
  graph: ModelGraph,
  data: DataSpec,
  csv: { name: string; text: string } | null,
  settings: TrainSettings,
): string {
  const nodes = graph.nodes.map((n) =>
    n.type === 'input' ? { ...n, attrs: { ...n.attrs, shape: '' } } : n,
  )
  return JSON.stringify({
    graph: structureKey({ ...graph, nodes }),
    data,
    csv: csv ? [csv.name, csv.text.length] : null,
    settings: { ...settings, learningRate: 0, epochs: 0 },
  })
}

/** The task a data recipe implies before the engine has read it. */
export function dataTask(spec: DataSpec): Task {
  if (spec.kind === 'builtin') return BUILTINS[spec.name].task
  return spec.task === 'regression' ? 'regression' : 'classification'
}
