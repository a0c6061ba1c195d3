// The canvas's dotted grid: a CSS background that follows the area's pan and zoom, so the
// dots move with the nodes instead of sliding under them. Zoomed far out, every second (fourth,
// …) dot is drawn, so the grid never turns into a grey haze.

const GRID = 24
/** The closest two dots may come on screen, in pixels. */
const MIN_SPACING = 12

/** The area's pan (x, y) and zoom (k). */
export interface Transform {
  readonly x: number
  readonly y: number
  readonly k: number
}

export function gridSpacing(k: number): number {
  let size = GRID * k
  while (size < MIN_SPACING) size *= 2
  return size
}

export function paintGrid(el: HTMLElement, t: Transform): void {
  const size = gridSpacing(t.k)
  el.style.backgroundSize = `${size}px ${size}px`
  el.style.backgroundPosition = `${t.x}px ${t.y}px`
}
