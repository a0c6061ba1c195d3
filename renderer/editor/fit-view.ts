// Where zoom-to-fit puts a graph: as large as it can be, up to 1:1, clear of the toolbar that
// floats in the canvas's top-left corner and the minimap in its bottom-right one. Two obstacles
// in opposite corners leave four largest clear rectangles: the band between them across the
// whole width, the one across the whole height, and the two that each reach past one of them.
// A long chain fits best across the width; a tall graph, such as a few rows of layers side by
// side, fits best beside the toolbar or the minimap.

export interface Size {
  readonly width: number
  readonly height: number
}

export interface FitView {
  /** The zoom. */
  readonly k: number
  /** Where the graph's centre goes, in the canvas's pixels. */
  readonly x: number
  readonly y: number
}

/** The share of the clear width or height a fitted graph takes, leaving a margin round it. */
const FIT_SHARE = 0.9

interface Room {
  readonly left: number
  readonly top: number
  readonly width: number
  readonly height: number
}

/**
 * The zoom and place that show all of `graph` (its bounding box at 1:1) in `canvas`, with
 * `toolbar` and `minimap` the corners they cover, margins included.
 */
export function fitView(canvas: Size, graph: Size, toolbar: Size, minimap: Size): FitView {
  const { width: w, height: h } = canvas
  // In a canvas too short for both bands, the graph goes over part of the minimap's.
  const top = Math.min(toolbar.height, h / 3)
  const across: Room = { left: 0, top, width: w, height: Math.max(h - top - minimap.height, h / 3) }
  const rooms: Room[] = [
    across,
    { left: toolbar.width, top: 0, width: w - toolbar.width - minimap.width, height: h },
    { left: 0, top: toolbar.height, width: w - minimap.width, height: h - toolbar.height },
    { left: toolbar.width, top: 0, width: w - toolbar.width, height: h - minimap.height },
  ]
  const zoom = (r: Room): number =>
    r.width <= 0 || r.height <= 0
      ? 0
      : Math.min((FIT_SHARE * r.width) / graph.width, (FIT_SHARE * r.height) / graph.height, 1)
  // The band across the width unless another room shows the graph larger.
  let best = across
  for (const r of rooms) if (zoom(r) > zoom(best)) best = r
  return {
    k: zoom(best),
    x: best.left + best.width / 2,
    y: best.top + best.height / 2,
  }
}
