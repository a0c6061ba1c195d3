// Where each socket sits inside its node, for drawing connections. Rete's DOM watcher measures
// every socket the moment it renders, which forces one layout per socket: quadratic when a large
// graph loads. This one measures all sockets that rendered in a frame together, in one layout.
import { BaseSocketPosition } from 'rete-render-utils'
import type { Point } from '../project/graph-edits'
import type { AreaExtra, Schemes } from './schemes'

type Side = 'input' | 'output'

interface Request {
  nodeId: string
  side: Side
  element: HTMLElement
  tries: number
  resolve(position: Point | null): void
}

/** How far outside the socket's centre a connection ends (Rete's default). */
const LINK_OFFSET = 12
/** Frames to wait for a socket that is not laid out yet before giving up on it. */
const MAX_TRIES = 30

/** The centre of `child` in the coordinates of `ancestor`, from offsets (transforms ignored). */
function centreWithin(child: HTMLElement, ancestor: HTMLElement): Point | null {
  let x = child.offsetLeft
  let y = child.offsetTop
  let current = child.offsetParent
  if (!current) return null
  while (current instanceof HTMLElement && current !== ancestor) {
    x += current.offsetLeft + current.clientLeft
    y += current.offsetTop + current.clientTop
    current = current.offsetParent
  }
  return { x: x + child.offsetWidth / 2, y: y + child.offsetHeight / 2 }
}

export class BatchedSocketPosition extends BaseSocketPosition<Schemes, AreaExtra> {
  private queue: Request[] = []

  calculatePosition(
    nodeId: string,
    side: Side,
    _key: string,
    element: HTMLElement,
  ): Promise<Point | null> {
    return new Promise((resolve) => this.enqueue({ nodeId, side, element, tries: 0, resolve }))
  }

  private enqueue(request: Request): void {
    if (this.queue.length === 0) requestAnimationFrame(() => this.flush())
    this.queue.push(request)
  }

  private flush(): void {
    const batch = this.queue
    this.queue = []
    for (const request of batch) {
      const view = this.area?.nodeViews.get(request.nodeId)
      if (!view || !request.element.isConnected) {
        request.resolve(null)
        continue
      }
      const centre = centreWithin(request.element, view.element)
      if (centre) {
        const dx = request.side === 'input' ? -LINK_OFFSET : LINK_OFFSET
        request.resolve({ x: centre.x + dx, y: centre.y })
      } else if (request.tries < MAX_TRIES) {
        this.enqueue({ ...request, tries: request.tries + 1 })
      } else {
        request.resolve(null)
      }
    }
  }
}
