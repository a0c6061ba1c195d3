// Mounts the node canvas in an element: Rete's editor with the area, connection, minimap and Vue
// render plugins, our node, socket and link components, selection and box selection. The canvas
// keeps no document of its own: every change the person makes becomes a project edit (deps.edit)
// and the canvas reconciles itself to the project's graph (load). The rest of the studio sees
// only the returned object (mounted, not woven in).
import { NodeEditor } from 'rete'
import { AreaExtensions, AreaPlugin, Drag } from 'rete-area-plugin'
import { ConnectionPlugin } from 'rete-connection-plugin'
import { Presets, VuePlugin } from 'rete-vue-plugin'
import type { GraphFrame, ModelGraph } from '../../engine/graph/model-graph'
import type { InspectResult } from '../../engine/protocol/messages'
import type { Point } from '../project/graph-edits'
import { moveNodes } from '../project/graph-edits'
import { arrangedPositions } from './arrange'
import type { Rect } from './box-select'
import { boxSelect, startsBox } from './box-select'
import LayerNodeView from './components/LayerNode.vue'
import LinkPath from './components/LinkPath.vue'
import TensorSocketView from './components/TensorSocket.vue'
import type { Transform } from './grid'
import type { CanvasView } from '../../electron/bridge'
import { paintGrid } from './grid'
import type { LayerNode } from './layer-node'
import type { LinkHint } from './link-flow'
import { createLinking } from './link-flow'
import { displayNames, linkName } from './keyboard-wiring'
import { fitView } from './fit-view'
import { applyGraph, toModelGraph } from './model-graph'
import { MINIMAP_HEIGHT, addMinimap } from './minimap'
import type { UnitCounts } from '../training/diagnostics'
import { nodeBadges, sameBadges } from './node-badges'
import { nodePicking } from './node-picking'
import type { AreaExtra, Schemes } from './schemes'
import { BatchedSocketPosition } from './socket-positions'
import { nodeName } from './validation'

export interface EditorDeps {
  /** The project's graph now: every edit the canvas makes starts from it. */
  graph(): ModelGraph
  /** Records one undoable edit; the canvas then reconciles to the new graph. */
  edit(label: string, next: ModelGraph): void
  onSelect(nodeIds: readonly string[]): void
  onSelectLink(linkId: string | null): void
  /** Why a connection being dragged would be refused; null hides it. */
  onHint(hint: LinkHint | null): void
  /** The box being drawn for box selection, in the canvas's coordinates; null when none. */
  onBox(box: Rect | null): void
  /** Nodes moved or changed size on screen (frames follow them). */
  onLayout(): void
  /** The view was zoomed or panned: its new transform. */
  onView(t: Transform): void
}

export interface StudioEditor {
  /**
   * Makes the canvas show this graph; the first load, and `fit`, zoom it into view, unless a
   * `view` says where to look (a project's as saved).
   */
  load(graph: ModelGraph, options?: { fit?: boolean; view?: CanvasView | null }): Promise<void>
  toModelGraph(): ModelGraph
  /** Shows an inspection's shapes, parameter counts and problems on the nodes. */
  annotate(inspection: InspectResult | null): void
  /** Training's dead and saturated units per node, shown on the nodes. */
  markUnits(counts: Readonly<Record<string, UnitCounts>>): void
  select(nodeIds: readonly string[]): Promise<void>
  selectLink(linkId: string | null): Promise<void>
  /** Zooms so every node is in view. */
  fit(): Promise<void>
  /** Moves keyboard focus to a node once the canvas shows it (after the loads queued so far). */
  focusNode(id: string): Promise<void>
  /** The middle of the view, in area coordinates. */
  centre(): Point
  toArea(clientX: number, clientY: number): Point
  /** Where the pointer is over the canvas, in area coordinates; null when it is elsewhere. */
  pointer(): Point | null
  nodeRects(ids?: readonly string[]): { id: string; rect: Rect }[]
  /** The element that pans and zooms with the canvas; frames are drawn inside it. */
  readonly holder: HTMLElement
  transform(): Transform
  /** Moves nodes on screen only (a frame being dragged); commitMoves records it. */
  moveBy(ids: readonly string[], dx: number, dy: number): Promise<void>
  /** Records where nodes now stand, as one edit, if any moved. */
  commitMoves(label?: string): void
  /** Where auto-arrange would put every node. */
  arrange(): Promise<Map<string, Point>>
  destroy(): void
}

/** Rete signals that change the model: only reconciling may cause them. */
const MODEL_SIGNALS = new Set(['nodecreate', 'noderemove', 'connectioncreate', 'connectionremove'])

/**
 * The canvas's corners the floating toolbar (CanvasToolbar.vue: 12 px in, 232 px by 40) and the
 * minimap (16 px in, 1.5 × MINIMAP_HEIGHT by MINIMAP_HEIGHT) cover, with a gap past them.
 */
const TOOLBAR_CORNER = { width: 256, height: 60 }
const MINIMAP_CORNER = { width: 1.5 * MINIMAP_HEIGHT + 24, height: MINIMAP_HEIGHT + 24 }

export function createEditor(el: HTMLElement, deps: EditorDeps): StudioEditor {
  const editor = new NodeEditor<Schemes>()
  const area = new AreaPlugin<Schemes, AreaExtra>(el)
  const connection = new ConnectionPlugin<Schemes, AreaExtra>()
  const render = new VuePlugin<Schemes, AreaExtra>()
  const canvas = { editor, area }
  let frames: readonly GraphFrame[] = []
  let applying = false
  let fitted = false
  let inspection: InspectResult | null = null
  let unitCounts: Readonly<Record<string, UnitCounts>> = {}
  let queue: Promise<void> = Promise.resolve()
  let inside = false

  const linking = createLinking({
    graph: deps.graph,
    edit: deps.edit,
    hint: deps.onHint,
    detach: (id) => void showDetached(id),
  })
  const picking = nodePicking(editor, area, {
    applying: () => applying,
    onSelect: deps.onSelect,
    onDragged: () => commitMoves(),
  })

  render.addPreset(
    Presets.classic.setup({
      socketPositionWatcher: new BatchedSocketPosition(),
      customize: {
        node: () => LayerNodeView,
        socket: () => TensorSocketView,
        connection: () => LinkPath,
      },
    }),
  )
  render.addPreset(Presets.minimap.setup({ size: MINIMAP_HEIGHT }))
  connection.addPreset(linking.preset)
  editor.use(area)
  area.use(connection)
  area.use(render)
  addMinimap(area)
  AreaExtensions.simpleNodesOrder(area)
  AreaExtensions.restrictor(area, { scaling: { min: 0.1, max: 2 } })
  // A plain drag on empty canvas pans; with Shift or Ctrl/Cmd it draws a selection box instead.
  area.area.setDragHandler(
    new Drag({
      down: (e) => !(e.pointerType === 'mouse' && e.button !== 0) && !startsBox(e),
      move: () => true,
    }),
  )

  editor.addPipe((context) => {
    if (MODEL_SIGNALS.has(context.type) && !applying) return undefined
    return context
  })
  area.addPipe((context) => {
    if (context.type === 'render' && context.data.type === 'socket') linking.track(context.data)
    if (context.type === 'unmount') linking.untrack(context.data.element)
    if (context.type === 'pointermove') linking.hover(context.data.event)
    if (context.type === 'translated' || context.type === 'zoomed') {
      paintGrid(el, area.area.transform)
      deps.onView({ ...area.area.transform })
    }
    if (context.type === 'nodetranslated') deps.onLayout()
    return context
  })
  paintGrid(el, area.area.transform)

  const box = boxSelect({
    container: el,
    toArea,
    nodeRects: () => nodeRects(),
    choose: (ids) => void picking.choose(ids),
    draw: deps.onBox,
  })
  const pressed = (e: PointerEvent): void => {
    picking.pressed(e)
    const link = e.target instanceof Element ? e.target.closest('[data-link-id]') : null
    const id = link?.getAttribute('data-link-id')
    if (id && e.button === 0) {
      // A press on a connection selects it; it must not start a pan.
      e.stopPropagation()
      void selectLink(id)
      deps.onSelectLink(id)
    }
  }
  /**
   * Keyboard focus on a connection selects it, as a press on it does; a node or connection
   * focused from the keyboard out of view is panned into it.
   */
  const focused = (e: FocusEvent): void => {
    const target = e.target instanceof Element ? e.target : null
    if (target?.matches(':focus-visible')) requestAnimationFrame(() => void reveal(target))
    const id = target?.closest('svg[data-link-id]')?.getAttribute('data-link-id')
    if (!id || editor.getConnection(id)?.selected) return
    void selectLink(id)
    deps.onSelectLink(id)
  }
  /** The browser scrolls a focused element into view; the canvas pans instead (reveal). */
  const unscroll = (): void => {
    if (el.scrollLeft !== 0 || el.scrollTop !== 0) el.scrollTo(0, 0)
  }
  const enter = (): void => {
    inside = true
  }
  const leave = (): void => {
    inside = false
  }
  el.addEventListener('pointerdown', pressed, true)
  el.addEventListener('focusin', focused)
  el.addEventListener('scroll', unscroll)
  el.addEventListener('pointerenter', enter)
  el.addEventListener('pointerleave', leave)

  function toArea(clientX: number, clientY: number): Point {
    const rect = el.getBoundingClientRect()
    const t = area.area.transform
    return { x: (clientX - rect.left - t.x) / t.k, y: (clientY - rect.top - t.y) / t.k }
  }

  function nodeRects(ids?: readonly string[]): { id: string; rect: Rect }[] {
    const out: { id: string; rect: Rect }[] = []
    for (const id of ids ?? editor.getNodes().map((n) => n.id)) {
      const node = editor.getNode(id)
      const view = area.nodeViews.get(id)
      if (!node || !view) continue
      const { x, y } = view.position
      out.push({ id, rect: { x, y, width: node.width, height: node.height } })
    }
    return out
  }

  /** Pans so that a node or connection out of view comes to the middle of it. */
  async function reveal(target: Element): Promise<void> {
    unscroll()
    if (!target.isConnected) return
    const shape = target.matches('svg[data-link-id]') ? target.querySelector('.line') : target
    const box = (shape ?? target).getBoundingClientRect()
    const frame = el.getBoundingClientRect()
    const inside =
      box.left >= frame.left &&
      box.right <= frame.right &&
      box.top >= frame.top &&
      box.bottom <= frame.bottom
    if (inside) return
    const t = area.area.transform
    const dx = frame.left + frame.width / 2 - (box.left + box.width / 2)
    const dy = frame.top + frame.height / 2 - (box.top + box.height / 2)
    await area.area.translate(t.x + dx, t.y + dy)
  }

  async function showDetached(id: string | null): Promise<void> {
    for (const link of editor.getConnections()) {
      const on = link.id === id
      if (link.detached === on) continue
      link.detached = on
      await area.update('connection', link.id)
    }
  }

  async function selectLink(id: string | null): Promise<void> {
    if (id !== null) await picking.show([])
    for (const link of editor.getConnections()) {
      const on = link.id === id
      if (link.selected === on) continue
      link.selected = on
      await area.update('connection', link.id)
    }
  }

  /** Names every connection for its ends, as the graph now names the nodes. */
  async function nameLinks(graph: ModelGraph): Promise<void> {
    const names = displayNames(graph)
    const edges = new Map(graph.edges.map((e) => [e.id, e]))
    for (const link of editor.getConnections()) {
      const edge = edges.get(link.id)
      const name = edge ? linkName(graph, edge, names) : ''
      if (link.name === name) continue
      link.name = name
      await area.update('connection', link.id)
    }
  }

  async function focusNode(id: string): Promise<void> {
    const view = area.nodeViews.get(id)?.element.querySelector<HTMLElement>('[data-node-id]')
    view?.focus({ preventScroll: true })
  }

  async function showBadges(node: LayerNode): Promise<void> {
    const next = nodeBadges(node.id, node.layer, inspection, unitCounts[node.id])
    if (sameBadges(next, node.badges)) return
    node.badges = next
    await area.update('node', node.id)
  }

  /** Reads the drawn size of every node (after Vue has drawn them) for minimap, fit, arrange. */
  let measuring = 0
  function measureSoon(): void {
    cancelAnimationFrame(measuring)
    measuring = requestAnimationFrame(() => {
      let changed = false
      for (const node of editor.getNodes()) {
        const view = area.nodeViews.get(node.id)?.element
        if (!view) continue
        if (view.offsetWidth === node.width && view.offsetHeight === node.height) continue
        node.width = view.offsetWidth
        node.height = view.offsetHeight
        changed = true
      }
      if (changed) deps.onLayout()
    })
  }

  /** Whether any of the node shows in the view. */
  function inView(id: string): boolean {
    const box = area.nodeViews.get(id)?.element.getBoundingClientRect()
    const frame = el.getBoundingClientRect()
    if (!box) return true
    return (
      box.right > frame.left &&
      box.left < frame.right &&
      box.bottom > frame.top &&
      box.top < frame.bottom
    )
  }

  /** Applies a graph without taking the canvas's own events for the person's edits. */
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

  async function apply(graph: ModelGraph, fit: boolean, view: CanvasView | null): Promise<void> {
    const added = await quietly(graph)
    await nameLinks(graph)
    await picking.show(picking.selected().filter((id) => editor.getNode(id)))
    measureSoon()
    deps.onLayout()
    // Fit the graph into view on the first load, and again when new nodes would all be hidden.
    const hidden = added.length > 0 && !added.some((n) => inView(n.id))
    if (view !== null) {
      fitted = true
      await area.area.zoom(view.zoom, 0, 0)
      await area.area.translate(view.x, view.y)
    } else if (editor.getNodes().length > 0 && (fit || !fitted || hidden)) {
      fitted = true
      await zoomToFit()
    }
  }

  /** Every node in view, clear of the toolbar and the minimap over the canvas's corners. */
  async function zoomToFit(): Promise<void> {
    const nodes = editor.getNodes()
    if (nodes.length === 0) return
    const canvasSize = { width: el.clientWidth, height: el.clientHeight }
    if (canvasSize.width <= 0 || canvasSize.height <= 0) return
    const box = AreaExtensions.getBoundingBox(area, nodes)
    const fit = fitView(canvasSize, box, TOOLBAR_CORNER, MINIMAP_CORNER)
    await area.area.zoom(fit.k, 0, 0)
    // The zoom as the restrictor left it (it keeps to 0.1–2), to centre the graph at that size.
    const z = area.area.transform.k
    await area.area.translate(fit.x - box.center.x * z, fit.y - box.center.y * z)
  }

  function commitMoves(label?: string): void {
    const graph = deps.graph()
    const moves = new Map<string, Point>()
    for (const n of graph.nodes) {
      const p = area.nodeViews.get(n.id)?.position
      if (p && (p.x !== n.position.x || p.y !== n.position.y)) moves.set(n.id, { x: p.x, y: p.y })
    }
    if (moves.size === 0) return
    const [only] = moves.keys()
    const what =
      moves.size === 1 && only !== undefined ? nodeName(graph, only) : `${moves.size} layers`
    deps.edit(label ?? `Move ${what}`, moveNodes(graph, moves))
  }

  /** Runs after the loads queued so far, so it sees the canvas they leave. */
  function queued<T>(task: () => Promise<T>): Promise<T> {
    const next = queue.then(task)
    queue = next.then(
      () => undefined,
      () => undefined,
    )
    return next
  }

  return {
    load: (graph, options) =>
      queued(() => apply(graph, options?.fit ?? false, options?.view ?? null)),
    toModelGraph: () => toModelGraph(canvas, frames),
    annotate(result) {
      inspection = result
      for (const node of editor.getNodes()) void showBadges(node)
      measureSoon()
    },
    markUnits(counts) {
      unitCounts = counts
      for (const node of editor.getNodes()) void showBadges(node)
    },
    select: (ids) => queued(() => picking.show(ids.filter((id) => editor.getNode(id)))),
    selectLink: (id) => queued(() => selectLink(id)),
    fit: () => queued(zoomToFit),
    focusNode: (id) => queued(() => focusNode(id)),
    centre() {
      const rect = el.getBoundingClientRect()
      return toArea(rect.left + rect.width / 2, rect.top + rect.height / 2)
    },
    toArea,
    pointer: () => (inside ? { ...area.area.pointer } : null),
    nodeRects,
    holder: area.area.content.holder,
    transform: () => ({ ...area.area.transform }),
    async moveBy(ids, dx, dy) {
      for (const id of ids) {
        const view = area.nodeViews.get(id)
        if (view) await view.translate(view.position.x + dx, view.position.y + dy)
      }
    },
    commitMoves,
    arrange: () => queued(() => arrangedPositions(area)),
    destroy() {
      cancelAnimationFrame(measuring)
      box.destroy()
      el.removeEventListener('pointerdown', pressed, true)
      el.removeEventListener('focusin', focused)
      el.removeEventListener('scroll', unscroll)
      el.removeEventListener('pointerenter', enter)
      el.removeEventListener('pointerleave', leave)
      area.destroy()
    },
  }
}
