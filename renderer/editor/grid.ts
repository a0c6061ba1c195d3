// The canvas's dotted grid: a CSS background that follows the area's pan and zoom, so the
// dots move with the nodes instead of sliding under them.

const GRID = 24

/** The area's pan (x, y) and zoom (k). */
export interface Transform {
  readonly x: number
  readonly y: number
  readonly k: number
}

export function paintGrid(el: HTMLElement, t: Transform): void {
  const size = GRID * t.k
  el.style.backgroundSize = `${size}px ${size}px`
  el.style.backgroundPosition = `${t.x}px ${t.y}px`
}
