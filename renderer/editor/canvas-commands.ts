// What the canvas's keys, toolbar and context menu do: each command reads the project's graph
// and the selection, and makes at most one project edit (one undo step).
import { nextTick } from 'vue'
import type { ModelGraph, PortRef } from '../../engine/graph/model-graph'
import { getLayer } from '../../engine/graph/registry'
import type { Point } from '../project/graph-edits'
import {
  addFrame,
  addLayer,
  duplicateNodes,
  fragmentOf,
  moveNodes,
  pasteFragment,
  removeEdges,
  removeFrame,
  removeNodes,
} from '../project/graph-edits'
import type { CanvasClipboard } from './clipboard'
import type { StudioEditor } from './create-editor'
import { displayNames, linkName, spotAfter, wireAfter } from './keyboard-wiring'
import type { CanvasCommand } from './keymap'
import { checkLink, nodeName } from './validation'

export interface CommandContext {
  graph(): ModelGraph
  edit(label: string, next: ModelGraph): void
  undo(): void
  redo(): void
  selectedNodes(): readonly string[]
  selectedLink(): string | null
  selectNodes(ids: readonly string[]): void
  editor(): StudioEditor | null
  clipboard: CanvasClipboard
  /** A short message for the person (paste of foreign text, nothing to copy). */
  notify(message: string): void
  /** A new frame was made: let the person name it. */
  framed(id: string): void
  /** Offers the inputs this node's output may be connected to (the Connect key). */
  pickConnection(nodeId: string): void
}

const DUPLICATE_OFFSET = { x: 40, y: 40 }
const NUDGE = 8
const NUDGE_FAR = 40

/** "Dense" for one node, "3 layers" for several. */
export function describe(graph: ModelGraph, ids: readonly string[]): string {
  const [first] = ids
  return ids.length === 1 && first !== undefined ? nodeName(graph, first) : `${ids.length} layers`
}

export function canvasCommands(ctx: CommandContext) {
  const present = (): string[] => {
    const ids = new Set(ctx.graph().nodes.map((n) => n.id))
    return ctx.selectedNodes().filter((id) => ids.has(id))
  }

  function deleteSelection(): void {
    const graph = ctx.graph()
    const link = ctx.selectedLink()
    const ids = present()
    if (ids.length > 0) {
      ctx.edit(`Delete ${describe(graph, ids)}`, removeNodes(graph, ids))
      ctx.selectNodes([])
    } else if (link !== null && graph.edges.some((e) => e.id === link)) {
      ctx.edit('Delete connection', removeEdges(graph, [link]))
    }
  }

  function duplicate(): void {
    const graph = ctx.graph()
    const ids = present()
    if (ids.length === 0) return
    const made = duplicateNodes(graph, ids, DUPLICATE_OFFSET)
    ctx.edit(`Duplicate ${describe(graph, ids)}`, made.graph)
    ctx.selectNodes(made.ids)
  }

  async function copy(): Promise<boolean> {
    const ids = present()
    if (ids.length === 0) return false
    await ctx.clipboard.write(fragmentOf(ctx.graph(), ids))
    return true
  }

  async function cut(): Promise<void> {
    if (await copy()) deleteSelection()
  }

  /** Pastes at `at`, else at the pointer when it is over the canvas, else mid-view. */
  async function paste(at?: Point): Promise<void> {
    const got = await ctx.clipboard.read()
    if (got.kind === 'empty') {
      ctx.notify('Nothing to paste: copy some layers first.')
      return
    }
    if (got.kind === 'foreign') {
      ctx.notify('The clipboard holds no Dendrite layers; nothing was pasted.')
      return
    }
    const view = ctx.editor()
    const where = at ?? view?.pointer() ?? view?.centre() ?? { x: 0, y: 0 }
    const graph = ctx.graph()
    const made = pasteFragment(graph, got.fragment, where)
    ctx.edit(`Paste ${describe(made.graph, made.ids)}`, made.graph)
    ctx.selectNodes(made.ids)
  }

  function group(): void {
    const ids = present()
    if (ids.length === 0) {
      ctx.notify('Select the layers to group first.')
      return
    }
    const made = addFrame(ctx.graph(), 'Group', ids)
    ctx.edit(`Group ${describe(ctx.graph(), ids)}`, made.graph)
    ctx.framed(made.id)
  }

  /**
   * Connects source → target as a drop of a dragged connection would: checked first, one
   * "Connect" edit when allowed, the reason told when not. True when it connected.
   */
  function connect(source: PortRef, target: PortRef): boolean {
    const graph = ctx.graph()
    const verdict = checkLink(graph, source, target)
    if (!verdict.ok) {
      ctx.notify(verdict.reason)
      return false
    }
    ctx.edit('Connect', verdict.graph)
    ctx.notify(`Connected ${linkName(verdict.graph, { source, target })}.`)
    return true
  }

  /**
   * Adds a layer to the right of `sourceId` with the source's output wired into its first input
   * that takes it, as one edit, and selects it. When the two cannot be wired the layer is still
   * added, at `loose` if given (else where it would have gone), and the reason told. Its id.
   */
  function addAfter(type: string, sourceId: string, loose?: Point): string | null {
    const graph = ctx.graph()
    if (!graph.nodes.some((n) => n.id === sourceId)) return null
    const made = addLayer(graph, type, spotAfter(graph, sourceId, type))
    const verdict = wireAfter(made.graph, sourceId, made.id)
    const title = getLayer(type)?.title ?? type
    const unwired = loose ? addLayer(graph, type, loose).graph : made.graph
    const source = displayNames(graph).get(sourceId) ?? sourceId
    ctx.edit(`Add ${title} after ${source}`, verdict.ok ? verdict.graph : unwired)
    ctx.selectNodes([made.id])
    if (!verdict.ok) ctx.notify(`${title} was added but not connected. ${verdict.reason}`)
    return made.id
  }

  /** Starts a keyboard connection from the primary selected node. */
  function pickConnection(): void {
    const id = present().at(-1)
    if (id === undefined) ctx.notify('Select a layer first, then press C to connect its output.')
    else ctx.pickConnection(id)
  }

  function ungroup(frameId: string): void {
    ctx.edit('Remove frame', removeFrame(ctx.graph(), frameId))
  }

  async function arrange(): Promise<void> {
    const view = ctx.editor()
    if (!view) return
    const positions = await view.arrange()
    ctx.edit('Auto-arrange', moveNodes(ctx.graph(), positions))
    // The canvas takes the new graph on the next tick; fit what it then shows.
    await nextTick()
    await view.fit()
  }

  function nudge(dx: number, dy: number): void {
    const graph = ctx.graph()
    const ids = new Set(present())
    if (ids.size === 0) return
    const moves = new Map<string, Point>()
    for (const n of graph.nodes) {
      if (ids.has(n.id)) moves.set(n.id, { x: n.position.x + dx, y: n.position.y + dy })
    }
    ctx.edit(`Move ${describe(graph, [...ids])}`, moveNodes(graph, moves))
  }

  const far = (shift: boolean): number => (shift ? NUDGE_FAR : NUDGE)

  /** Runs a keyboard command; `shift` tells how far to nudge. */
  function run(command: CanvasCommand, shift = false): void {
    const table: Record<CanvasCommand, () => unknown> = {
      delete: deleteSelection,
      duplicate,
      copy,
      cut,
      paste: () => paste(),
      selectAll: () => ctx.selectNodes(ctx.graph().nodes.map((n) => n.id)),
      undo: ctx.undo,
      redo: ctx.redo,
      fit: () => ctx.editor()?.fit(),
      group,
      connect: pickConnection,
      escape: () => ctx.selectNodes([]),
      nudgeLeft: () => nudge(-far(shift), 0),
      nudgeRight: () => nudge(far(shift), 0),
      nudgeUp: () => nudge(0, -far(shift)),
      nudgeDown: () => nudge(0, far(shift)),
    }
    Promise.resolve()
      .then(table[command])
      .catch((err: unknown) => {
        ctx.notify(`That did not work: ${err instanceof Error ? err.message : String(err)}`)
      })
  }

  return {
    run,
    deleteSelection,
    duplicate,
    copy,
    cut,
    paste,
    group,
    ungroup,
    arrange,
    connect,
    addAfter,
  }
}

export type CanvasCommands = ReturnType<typeof canvasCommands>
