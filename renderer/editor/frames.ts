// Where a frame is drawn: around its nodes' rectangles with some padding, and a header band
// above them for its label. Pure geometry in area coordinates; FrameLayer.vue draws it.
import type { Rect } from './box-select'

export const FRAME_PADDING = 20
export const FRAME_HEADER = 34

/** The frame's rectangle around these node rectangles; null when none is on the canvas. */
export function frameRect(nodes: readonly Rect[]): Rect | null {
  if (nodes.length === 0) return null
  const left = Math.min(...nodes.map((r) => r.x)) - FRAME_PADDING
  const top = Math.min(...nodes.map((r) => r.y)) - FRAME_PADDING - FRAME_HEADER
  const right = Math.max(...nodes.map((r) => r.x + r.width)) + FRAME_PADDING
  const bottom = Math.max(...nodes.map((r) => r.y + r.height)) + FRAME_PADDING
  return { x: left, y: top, width: right - left, height: bottom - top }
}
