// Connecting by dragging: a rete-connection-plugin flow that never touches Rete's model itself.
// A finished drag becomes one project edit (Connect, Reconnect or Disconnect) and the canvas
// reconciles to it. While the drag is on, the socket under the pointer is checked and, when the
// connection would be refused, the reason is shown at the pointer.
import type { GraphEdge, ModelGraph, PortRef } from '../../engine/graph/model-graph'
import type { Flow, PickParams, Preset, SocketData } from 'rete-connection-plugin'
import { removeEdges } from '../project/graph-edits'
import type { Schemes } from './schemes'
import type { LinkVerdict } from './validation'
import { checkLink } from './validation'

/** Why a connection is refused, at a point in client coordinates. */
export interface LinkHint {
  readonly x: number
  readonly y: number
  readonly reason: string
}

export interface LinkingDeps {
  graph(): ModelGraph
  edit(label: string, next: ModelGraph): void
  hint(hint: LinkHint | null): void
  /** Hides a connection while it is dragged off its input; null shows it again. */
  detach(edgeId: string | null): void
}

export interface Linking {
  preset: Preset<Schemes>
  /** A socket was drawn (render signal) or went away (unmount). */
  track(data: SocketData): void
  untrack(element: HTMLElement): void
  /** The pointer moved over the canvas: check the socket under it. */
  hover(event: PointerEvent): void
  dragging(): boolean
}

interface Drag {
  initial: SocketData
  /** The edge dragged off its input, when the drag began there. */
  detached: GraphEdge | null
}

const FLASH_MS = 1600

function ref(s: SocketData): PortRef {
  return { node: s.nodeId, port: s.key }
}

function sameSocket(a: SocketData, b: SocketData): boolean {
  return a.nodeId === b.nodeId && a.side === b.side && a.key === b.key
}

function isTargetOf(s: SocketData, edge: GraphEdge): boolean {
  return s.side === 'input' && s.nodeId === edge.target.node && s.key === edge.target.port
}

export function createLinking(deps: LinkingDeps): Linking {
  const sockets = new Map<HTMLElement, SocketData>()
  const verdicts = new Map<string, LinkVerdict>()
  let drag: Drag | null = null
  let marked: HTMLElement | null = null
  let flash: ReturnType<typeof setTimeout> | undefined

  /** The verdict for ending the drag on `socket`; null when the two cannot pair at all. */
  function verdictFor(socket: SocketData): LinkVerdict | null {
    if (!drag || drag.initial.side === socket.side) return null
    const [source, target] =
      drag.initial.side === 'output' ? [drag.initial, socket] : [socket, drag.initial]
    const key = `${source.nodeId}.${source.key}>${target.nodeId}.${target.key}`
    let verdict = verdicts.get(key)
    if (!verdict) {
      verdict = checkLink(deps.graph(), ref(source), ref(target), drag.detached?.id)
      verdicts.set(key, verdict)
    }
    return verdict
  }

  function mark(element: HTMLElement | null, state?: 'ok' | 'refused'): void {
    if (marked && marked !== element) delete marked.dataset.link
    marked = element
    if (element && state) element.dataset.link = state
  }

  function socketAt(x: number, y: number): SocketData | undefined {
    for (const el of document.elementsFromPoint(x, y)) {
      const found = el instanceof HTMLElement ? sockets.get(el) : undefined
      if (found) return found
    }
    return undefined
  }

  function begin(socket: SocketData): void {
    clearTimeout(flash)
    deps.hint(null)
    verdicts.clear()
    const edge =
      socket.side === 'input'
        ? deps
            .graph()
            .edges.find((e) => e.target.node === socket.nodeId && e.target.port === socket.key)
        : undefined
    if (!edge) {
      drag = { initial: socket, detached: null }
      return
    }
    // Picking up an occupied input takes its connection off, to drop it elsewhere or nowhere.
    const source = [...sockets.values()].find(
      (s) => s.side === 'output' && s.nodeId === edge.source.node && s.key === edge.source.port,
    )
    if (!source) return
    drag = { initial: source, detached: edge }
    deps.detach(edge.id)
  }

  function finish(socket: SocketData | null): void {
    const current = drag
    if (!current) return
    const detached = current.detached
    if (!socket) {
      if (detached) deps.edit('Disconnect', removeEdges(deps.graph(), [detached.id]))
      end(false)
      return
    }
    // Dropped back where it came from: nothing changes.
    const verdict = detached && isTargetOf(socket, detached) ? null : verdictFor(socket)
    if (verdict?.ok) deps.edit(detached ? 'Reconnect' : 'Connect', verdict.graph)
    else if (verdict) refuse(socket, verdict.reason)
    end(verdict?.ok === false)
  }

  /** Keeps the reason on screen a moment after a refused drop. */
  function refuse(socket: SocketData, reason: string): void {
    const box = socket.element.getBoundingClientRect()
    deps.hint({ x: box.right, y: box.bottom, reason })
    flash = setTimeout(() => deps.hint(null), FLASH_MS)
  }

  function end(keepHint: boolean): void {
    drag = null
    verdicts.clear()
    mark(null)
    deps.detach(null)
    if (!keepHint) deps.hint(null)
  }

  class LinkFlow implements Flow<Schemes, unknown[]> {
    pick({ socket, event }: PickParams): Promise<void> {
      if (!drag) {
        if (event === 'down') begin(socket)
        return Promise.resolve()
      }
      // Releasing where the drag began keeps it going: click one socket, then the other.
      const onStart =
        sameSocket(socket, drag.initial) ||
        (drag.detached !== null && isTargetOf(socket, drag.detached))
      if (!(event === 'up' && onStart)) finish(socket)
      return Promise.resolve()
    }

    getPickedSocket(): SocketData | undefined {
      return drag?.initial
    }

    drop(): void {
      finish(null)
    }
  }

  return {
    preset: () => new LinkFlow(),
    track(data) {
      sockets.set(data.element, data)
    },
    untrack(element) {
      sockets.delete(element)
    },
    hover(event) {
      if (!drag) return
      const socket = socketAt(event.clientX, event.clientY)
      const verdict = socket && !sameSocket(socket, drag.initial) ? verdictFor(socket) : null
      if (!socket || !verdict) {
        mark(null)
        deps.hint(null)
        return
      }
      mark(socket.element, verdict.ok ? 'ok' : 'refused')
      deps.hint(verdict.ok ? null : { x: event.clientX, y: event.clientY, reason: verdict.reason })
    },
    dragging: () => drag !== null,
  }
}
