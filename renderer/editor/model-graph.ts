// Rete ⇄ ModelGraph: the only place the canvas's objects are translated to the project's graph
// JSON and back. apply() reconciles the canvas with a graph (adds, removes, updates by id), so
// loading a whole project and echoing one edit are the same operation.
import type { NodeEditor } from 'rete'
import type { AreaPlugin } from 'rete-area-plugin'
import type { GraphEdge, GraphFrame, GraphNode, ModelGraph } from '../../engine/graph/model-graph'
import { GRAPH_FORMAT, GRAPH_VERSION } from '../../engine/graph/model-graph'
import type { ExtraPorts } from './layer-node'
import { LayerNode, portsOf } from './layer-node'
import type { AreaExtra, Schemes } from './schemes'
import { Link } from './schemes'

export interface Canvas {
  editor: NodeEditor<Schemes>
  area: AreaPlugin<Schemes, AreaExtra>
}

export function toModelGraph(canvas: Canvas, frames: readonly GraphFrame[]): ModelGraph {
  const nodes = canvas.editor.getNodes().map((n): GraphNode => {
    const p = canvas.area.nodeViews.get(n.id)?.position ?? { x: 0, y: 0 }
    const node: GraphNode = {
      id: n.id,
      type: n.layerType,
      attrs: { ...n.attrs },
      position: { x: p.x, y: p.y },
    }
    return n.customLabel === undefined ? node : { ...node, label: n.customLabel }
  })
  const edges = canvas.editor.getConnections().map((c): GraphEdge => ({
    id: c.id,
    source: { node: c.source, port: String(c.sourceOutput) },
    target: { node: c.target, port: String(c.targetInput) },
  }))
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, nodes, edges, frames: [...frames] }
}

/** Makes the canvas show `graph`; returns the nodes it created. */
export async function applyGraph(canvas: Canvas, graph: ModelGraph): Promise<LayerNode[]> {
  const { editor } = canvas
  const wanted = new Map(graph.nodes.map((n) => [n.id, n]))
  const extras = extraPorts(graph)
  const replaced = (n: LayerNode): boolean => {
    const g = wanted.get(n.id)
    return !g || g.type !== n.layerType || !samePorts(n, extras.get(n.id))
  }
  const gone = new Set(
    editor
      .getNodes()
      .filter(replaced)
      .map((n) => n.id),
  )
  const edgeById = new Map(graph.edges.map((e) => [e.id, e]))
  for (const c of editor.getConnections()) {
    const e = edgeById.get(c.id)
    if (!e || gone.has(c.source) || gone.has(c.target) || !sameEnds(c, e)) {
      await editor.removeConnection(c.id)
    }
  }
  for (const id of gone) await editor.removeNode(id)
  const added: LayerNode[] = []
  for (const g of graph.nodes) {
    const node = await placeNode(canvas, g, extras.get(g.id))
    if (node) added.push(node)
  }
  for (const e of graph.edges) await placeEdge(editor, e)
  return added
}

/** Adds the node if it is new (returning it), or updates the one on the canvas in place. */
async function placeNode(canvas: Canvas, g: GraphNode, extra: ExtraPorts | undefined) {
  const init = { id: g.id, type: g.type, label: g.label, attrs: g.attrs }
  const existing = canvas.editor.getNode(g.id)
  if (existing) {
    if (existing.assign(init)) await canvas.area.update('node', g.id)
  } else {
    await canvas.editor.addNode(new LayerNode(init, extra))
  }
  const view = canvas.area.nodeViews.get(g.id)
  if (view && (view.position.x !== g.position.x || view.position.y !== g.position.y)) {
    await canvas.area.translate(g.id, g.position)
  }
  return existing ? null : (canvas.editor.getNode(g.id) ?? null)
}

async function placeEdge(editor: NodeEditor<Schemes>, e: GraphEdge): Promise<void> {
  if (editor.getConnection(e.id)) return
  const source = editor.getNode(e.source.node)
  const target = editor.getNode(e.target.node)
  // An edge to a node that is not in the graph cannot be drawn; inspection reports it.
  if (!source || !target) return
  const link = new Link(source, e.source.port, target, e.target.port)
  link.id = e.id
  await editor.addConnection(link)
}

function sameEnds(c: Link<LayerNode>, e: GraphEdge): boolean {
  return (
    c.source === e.source.node &&
    String(c.sourceOutput) === e.source.port &&
    c.target === e.target.node &&
    String(c.targetInput) === e.target.port
  )
}

/** Per node, the ports its edges name that its layer does not declare. */
function extraPorts(graph: ModelGraph): Map<string, ExtraPorts> {
  const types = new Map(graph.nodes.map((n) => [n.id, n.type]))
  const out = new Map<string, { inputs: string[]; outputs: string[] }>()
  const note = (node: string, side: 'inputs' | 'outputs', port: string): void => {
    const type = types.get(node)
    if (type === undefined || portsOf(type)[side].some((p) => p.name === port)) return
    const entry = out.get(node) ?? { inputs: [], outputs: [] }
    if (!entry[side].includes(port)) entry[side].push(port)
    out.set(node, entry)
  }
  for (const e of graph.edges) {
    note(e.source.node, 'outputs', e.source.port)
    note(e.target.node, 'inputs', e.target.port)
  }
  return out
}

function samePorts(n: LayerNode, extra: ExtraPorts | undefined): boolean {
  const wanted = portsOf(n.layerType, extra)
  const names = (ports: readonly { name: string }[]): string => ports.map((p) => p.name).join(',')
  return (
    Object.keys(n.inputs).join(',') === names(wanted.inputs) &&
    Object.keys(n.outputs).join(',') === names(wanted.outputs)
  )
}
