// Where a new layer goes. Added without a place (the palette's double-click or Enter), it takes
// the nearest place to the view's centre where its card covers no other card; cards are measured
// conservatively from what they show (the card's width, a row per port, room for a problem line),
// so it never hides another's sockets. Put at a point the person chose (a drop, the canvas menu),
// it stays there, only stepping past a node that stands at exactly that spot.
import type { GraphNode, ModelGraph } from '../../engine/graph/model-graph'
import type { Point } from '../project/graph-edits'
import { NODE_HEIGHT, NODE_WIDTH, portsOf } from './layer-node'

/** A port row's height (LayerNode.vue: 22 px and a 2 px gap). */
const PORT_ROW = 24
/** A problem or diagnostic line under the card's footer. */
const NOTE_LINE = 40
/** The clear space kept between cards. */
const GAP = 24
/** How far apart the places tried are, and how far out the search goes. */
const STEP = 24
const RINGS = 80

interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** The card's box at its top-left corner `at`, as tall as its most crowded port column. */
export function cardBox(type: string, at: Point): Box {
  const { inputs, outputs } = portsOf(type)
  const rows = Math.max(1, inputs.length, outputs.length)
  return { x: at.x, y: at.y, w: NODE_WIDTH, h: NODE_HEIGHT + (rows - 1) * PORT_ROW + NOTE_LINE }
}

const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP && a.y < b.y + b.h + GAP && b.y < a.y + a.h + GAP

/** The places `ring` steps away from `at` (a square around it), nearest first. */
function ring(at: Point, r: number): Point[] {
  if (r === 0) return [at]
  const out: Point[] = []
  for (let i = -r; i <= r; i++) {
    out.push({ x: i, y: -r }, { x: i, y: r })
    if (Math.abs(i) < r) out.push({ x: -r, y: i }, { x: r, y: i })
  }
  out.sort((a, b) => a.x * a.x + a.y * a.y - (b.x * b.x + b.y * b.y) || b.y - a.y || b.x - a.x)
  return out.map((d) => ({ x: at.x + d.x * STEP, y: at.y + d.y * STEP }))
}

/** Whether a `type` card with its top-left corner at `at` would cover a node of `graph`. */
export function coversNode(graph: ModelGraph, type: string, at: Point): boolean {
  const box = cardBox(type, at)
  return graph.nodes.some((n: GraphNode) => overlaps(box, cardBox(n.type, n.position)))
}

/**
 * The top-left corner nearest `at` where a `type` card overlaps no node of `graph`; below every
 * node when nothing near is free.
 */
export function freeSpot(graph: ModelGraph, type: string, at: Point): Point {
  const boxes = graph.nodes.map((n: GraphNode) => cardBox(n.type, n.position))
  const free = (p: Point): boolean => {
    const box = cardBox(type, p)
    return !boxes.some((b) => overlaps(box, b))
  }
  for (let r = 0; r <= RINGS; r++) {
    const found = ring(at, r).find(free)
    if (found) return found
  }
  const bottom = Math.max(...boxes.map((b) => b.y + b.h))
  return { x: at.x, y: bottom + GAP }
}

const CASCADE = 24

/** `at`, moved down and right past any node already standing there (repeated adds fan out). */
export function cascadeSpot(graph: ModelGraph, at: Point): Point {
  let p = { ...at }
  const taken = (q: Point): boolean =>
    graph.nodes.some(
      (n) =>
        Math.abs(n.position.x - q.x) < CASCADE / 2 && Math.abs(n.position.y - q.y) < CASCADE / 2,
    )
  for (let i = 0; i < 50 && taken(p); i++) p = { x: p.x + CASCADE, y: p.y + CASCADE }
  return p
}
