import { describe, expect, it } from 'vitest'
import { emptyGraph } from '../../engine/graph/model-graph'
import { addLayer } from '../project/graph-edits'
import { starterGraph } from '../project/starter-graph'
import { cardBox, freeSpot } from './free-spot'

type Box = ReturnType<typeof cardBox>
const apart = (a: Box, b: Box): boolean =>
  a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y

describe('freeSpot', () => {
  it('keeps the spot asked for when nothing is there', () => {
    expect(freeSpot(emptyGraph(), 'relu', { x: 40, y: 60 })).toEqual({ x: 40, y: 60 })
  })

  it('moves a layer off the nodes it would cover, to the nearest free place', () => {
    const graph = starterGraph()
    const tanh = graph.nodes.find((n) => n.id === 'tanh-1')
    if (!tanh) throw new Error('no tanh')
    const spot = freeSpot(graph, 'relu', tanh.position)
    for (const n of graph.nodes) {
      expect(apart(cardBox('relu', spot), cardBox(n.type, n.position))).toBe(true)
    }
    // Beside the row rather than far away: straight below or above the Tanh.
    expect(spot.x).toBe(tanh.position.x)
    expect(Math.abs(spot.y - tanh.position.y)).toBeLessThan(300)
  })

  it('fans repeated adds at one point out without any two overlapping', () => {
    let graph = starterGraph()
    for (let i = 0; i < 8; i++) {
      graph = addLayer(graph, 'dense', freeSpot(graph, 'dense', { x: 400, y: 0 })).graph
    }
    const boxes = graph.nodes.map((n) => cardBox(n.type, n.position))
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => expect(apart(a, b)).toBe(true)))
  })
})
