// Mounts the node canvas in an element: Rete's editor with the area, connection and Vue render
// plugins, our node, socket and link components, selection, and change notifications. The rest
// of the studio sees only the returned object (mounted, not woven in).
import { NodeEditor } from 'rete'
import { AreaExtensions, AreaPlugin } from 'rete-area-plugin'
import { ConnectionPlugin, Presets as ConnectionPresets } from 'rete-connection-plugin'
import { Presets, VuePlugin } from 'rete-vue-plugin'
import type { GraphFrame, ModelGraph } from '../../engine/graph/model-graph'
import type { InspectResult } from '../../engine/protocol/messages'
import LayerNodeView from './components/LayerNode.vue'
import LinkPath from './components/LinkPath.vue'
import TensorSocketView from './components/TensorSocket.vue'
import { paintGrid } from './grid'
import type { LayerNode } from './layer-node'
import { applyGraph, toModelGraph } from './model-graph'
import { nodeBadges, sameBadges } from './node-badges'
import type { AreaExtra, Schemes } from './schemes'

export interface EditorDeps {
  /** The graph after an edit made on the canvas (connect, disconnect, move). */
  onChange(graph: ModelGraph): void
  /** The node the person selected, or null when the selection was cleared. */
  onSelect(nodeId: string | null): void
}

export interface StudioEditor {
  /** Makes the canvas show this graph; the first load also fits it into view. */
  load(graph: ModelGraph): Promise<void>
  toModelGraph(): ModelGraph
  /** Shows an inspection's shapes, parameter counts and problems on the nodes. */
  annotate(inspection: InspectResult | null): void
  select(nodeId: string | null): Promise<void>
  destroy(): void
}

const EDIT_SIGNALS = new Set([
  'connectioncreated',
  'connectionremoved',
  'nodecreated',
  'noderemoved',
])

export function createEditor(el: HTMLElement, deps: EditorDeps): StudioEditor {
  const editor = new NodeEditor<Schemes>()
  const area = new AreaPlugin<Schemes, AreaExtra>(el)
  const connection = new ConnectionPlugin<Schemes, AreaExtra>()
  const render = new VuePlugin<Schemes, AreaExtra>()
  const canvas = { editor, area }
  const selector = AreaExtensions.selector()
  const selectable = AreaExtensions.selectableNodes(area, selector, {
    accumulating: AreaExtensions.accumulateOnCtrl(),
  })
  render.addPreset(
    Presets.classic.setup({
      customize: {
        node: () => LayerNodeView,
        socket: () => TensorSocketView,
        connection: () => LinkPath,
      },
    }),
  )
  connection.addPreset(ConnectionPresets.classic.setup())
  editor.use(area)
  area.use(connection)
  area.use(render)
  AreaExtensions.simpleNodesOrder(area)
  AreaExtensions.restrictor(area, { scaling: { min: 0.2, max: 2 } })

  let frames: readonly GraphFrame[] = []
  let applying = false
  let fitted = false
  let inspection: InspectResult | null = null
  let queue: Promise<void> = Promise.resolve()
  const changed = (): void => {
    if (!applying) deps.onChange(toModelGraph(canvas, frames))
  }
  const selected = (): string | null => editor.getNodes().find((n) => n.selected)?.id ?? null

  editor.addPipe((context) => {
    if (EDIT_SIGNALS.has(context.type)) changed()
    return context
  })
  area.addPipe(async (context) => {
    if (context.type === 'nodedragged') changed()
    if (context.type === 'nodefocused') await selectable.select(context.data.id, false)
    if (['nodepicked', 'nodefocused', 'pointerup'].includes(context.type)) deps.onSelect(selected())
    if (context.type === 'translated' || context.type === 'zoomed')
      paintGrid(el, area.area.transform)
    return context
  })
  paintGrid(el, area.area.transform)

  async function showBadges(node: LayerNode): Promise<void> {
    const next = nodeBadges(node.id, node.layer, inspection)
    if (sameBadges(next, node.badges)) return
    node.badges = next
    await area.update('node', node.id)
  }

  function inView(id: string): boolean {
    const box = area.nodeViews.get(id)?.element.getBoundingClientRect()
    const frame = el.getBoundingClientRect()
    if (!box) return true
    return (
      box.left >= frame.left &&
      box.right <= frame.right &&
      box.top >= frame.top &&
      box.bottom <= frame.bottom
    )
  }

  /** Applies a graph without reporting the canvas's own events back as edits. */
  async function quietly(graph: ModelGraph): Promise<LayerNode[]> {
    applying = true
    try {
      frames = graph.frames
      const added = await applyGraph(canvas, graph)
      for (const node of added) await showBadges(node)
      return added
    } finally {
      applying = false
    }
  }

  async function apply(graph: ModelGraph): Promise<void> {
    const added = await quietly(graph)
    // Fit the graph into view on the first load, and again when a new node would be hidden.
    if (editor.getNodes().length > 0 && (!fitted || added.some((n) => !inView(n.id)))) {
      fitted = true
      await AreaExtensions.zoomAt(area, editor.getNodes(), { scale: 0.9 })
    }
  }

  return {
    load(graph) {
      // Loads run one after another, so a quick second edit never interleaves with the first.
      const next = queue.then(() => apply(graph))
      queue = next.catch(() => undefined)
      return next
    },
    toModelGraph: () => toModelGraph(canvas, frames),
    annotate(result) {
      inspection = result
      for (const node of editor.getNodes()) void showBadges(node)
    },
    select(nodeId) {
      // Queued behind loads: a node added a moment ago can be selected once it is on the canvas.
      const next = queue.then(async () => {
        if (nodeId === selected()) return
        if (nodeId === null) await selector.unselectAll()
        else await selectable.select(nodeId, false)
      })
      queue = next.catch(() => undefined)
      return next
    },
    destroy() {
      area.destroy()
    },
  }
}
