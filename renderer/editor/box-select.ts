// Box selection: Shift-drag (or Ctrl/Cmd-drag) on empty canvas draws a rectangle and selects
// the nodes it touches. A plain drag on empty canvas still pans (the area's own drag).
import type { Point } from '../project/graph-edits'

export interface Rect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface BoxSelectDeps {
  /** The canvas element; the box is drawn in its coordinates. */
  readonly container: HTMLElement
  toArea(clientX: number, clientY: number): Point
  /** Every node's rectangle in area coordinates. */
  nodeRects(): readonly { id: string; rect: Rect }[]
  choose(ids: readonly string[]): void
  /** Draws (or, for null, removes) the box, in the container's coordinates. */
  draw(box: Rect | null): void
}

/** Whether a press starts a box rather than a pan. */
export function startsBox(e: PointerEvent): boolean {
  return e.button === 0 && (e.shiftKey || e.ctrlKey || e.metaKey)
}

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

export function rectBetween(a: Point, b: Point): Rect {
  return {
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    width: Math.abs(a.x - b.x),
    height: Math.abs(a.y - b.y),
  }
}

export function boxSelect(deps: BoxSelectDeps): { destroy(): void } {
  let start: { client: Point; local: Point } | null = null

  const local = (e: PointerEvent): Point => {
    const box = deps.container.getBoundingClientRect()
    return { x: e.clientX - box.left, y: e.clientY - box.top }
  }

  function down(e: PointerEvent): void {
    if (!startsBox(e) || e.target instanceof HTMLInputElement) return
    e.preventDefault()
    start = { client: { x: e.clientX, y: e.clientY }, local: local(e) }
    deps.draw(rectBetween(start.local, start.local))
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
  }

  function move(e: PointerEvent): void {
    if (start) deps.draw(rectBetween(start.local, local(e)))
  }

  function up(e: PointerEvent): void {
    window.removeEventListener('pointermove', move)
    window.removeEventListener('pointerup', up)
    if (!start) return
    const a = deps.toArea(start.client.x, start.client.y)
    const b = deps.toArea(e.clientX, e.clientY)
    start = null
    deps.draw(null)
    const box = rectBetween(a, b)
    // A press without travel is a click, not a box.
    if (box.width < 3 && box.height < 3) return
    deps.choose(
      deps
        .nodeRects()
        .filter((n) => overlaps(box, n.rect))
        .map((n) => n.id),
    )
  }

  deps.container.addEventListener('pointerdown', down)
  return {
    destroy() {
      deps.container.removeEventListener('pointerdown', down)
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
    },
  }
}
