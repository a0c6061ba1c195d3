// Which nodes are selected on the canvas and how a drag moves them: click selects one,
// Ctrl/Cmd/Shift+click toggles, dragging a selected node carries the others along, a click on
// empty canvas clears. Our own instead of AreaExtensions.selectableNodes, because that one also
// moves the selection along when the canvas is reconciled to an undone graph.
import type { AreaPlugin } from 'rete-area-plugin'
import type { NodeEditor } from 'rete'
import type { AreaExtra, Schemes } from './schemes'

export interface PickingDeps {
  /** True while the canvas is being reconciled to a graph: not the person's doing. */
  applying(): boolean
  onSelect(ids: readonly string[]): void
  /** A drag of one or more nodes ended. */
  onDragged(): void
}

export interface Picking {
  selected(): readonly string[]
  /** Shows these nodes as selected (the store's selection coming in). */
  show(ids: readonly string[]): Promise<void>
  /** Selects and reports. */
  choose(ids: readonly string[]): Promise<void>
  /** The modifier keys of the latest pointer press on the canvas. */
  pressed(event: PointerEvent): void
}

/** Pointer travel (in move events) under which a press on empty canvas counts as a click. */
const CLICK_MOVES = 4

function additive(e: { ctrlKey: boolean; metaKey: boolean; shiftKey: boolean } | null): boolean {
  return Boolean(e && (e.ctrlKey || e.metaKey || e.shiftKey))
}

export function nodePicking(
  editor: NodeEditor<Schemes>,
  area: AreaPlugin<Schemes, AreaExtra>,
  deps: PickingDeps,
): Picking {
  let selected: readonly string[] = []
  let dragging: string | null = null
  let press: PointerEvent | null = null
  let moves: number | null = null
  /** A press on one node of a selected group: a click (no drag) then selects just that node. */
  let narrow: { id: string; x: number; y: number } | null = null

  async function show(ids: readonly string[]): Promise<void> {
    const next = new Set(ids)
    const before = new Set(selected)
    selected = [...ids]
    for (const node of editor.getNodes()) {
      const on = next.has(node.id)
      if (node.selected === on && before.has(node.id) === on) continue
      node.selected = on
      await area.update('node', node.id)
    }
  }

  async function choose(ids: readonly string[]): Promise<void> {
    await show(ids)
    deps.onSelect(selected)
  }

  async function picked(id: string): Promise<void> {
    dragging = id
    moves = null
    narrow = null
    if (additive(press)) {
      const has = selected.includes(id)
      await choose(has ? selected.filter((s) => s !== id) : [...selected, id])
      if (has) dragging = null
    } else if (!selected.includes(id)) {
      await choose([id])
    } else {
      // Keep the group for a drag, make this one the primary (the inspector shows it).
      const at = area.nodeViews.get(id)?.position
      if (at) narrow = { id, x: at.x, y: at.y }
      await choose([...selected.filter((s) => s !== id), id])
    }
  }

  /** The dragged node moved: carry the rest of the selection by the same amount. */
  async function follow(id: string, dx: number, dy: number): Promise<void> {
    if (id !== dragging || deps.applying()) return
    for (const other of selected) {
      if (other === id) continue
      const view = area.nodeViews.get(other)
      if (view) await view.translate(view.position.x + dx, view.position.y + dy)
    }
  }

  function released(): Promise<void> | undefined {
    const primary = press?.button === 0
    const click = primary && moves !== null && moves < CLICK_MOVES && !additive(press)
    moves = null
    return click ? choose([]) : undefined
  }

  function dragged(id: string): void {
    if (id !== dragging) return
    dragging = null
    const at = area.nodeViews.get(id)?.position
    const clicked = narrow?.id === id && at?.x === narrow.x && at.y === narrow.y
    narrow = null
    if (clicked) void choose([id])
    else deps.onDragged()
  }

  area.addPipe(async (context) => {
    if (context.type === 'nodepicked') await picked(context.data.id)
    else if (context.type === 'nodetranslated') {
      const { id, position, previous } = context.data
      await follow(id, position.x - previous.x, position.y - previous.y)
    } else if (context.type === 'nodedragged') dragged(context.data.id)
    else if (context.type === 'nodefocused') {
      if (!selected.includes(context.data.id)) await choose([context.data.id])
    } else if (context.type === 'pointerdown') moves = 0
    else if (context.type === 'pointermove') moves = moves === null ? null : moves + 1
    else if (context.type === 'pointerup') await released()
    return context
  })

  return {
    selected: () => selected,
    show,
    choose,
    pressed(event) {
      press = event
    },
  }
}
