// Zoom-to-fit's place for a graph: never under the toolbar or the minimap, never past the
// canvas, and as large as the clearest room allows.
import { describe, expect, it } from 'vitest'
import { createRng } from '../../engine/util/rng'
import type { FitView, Size } from './fit-view'
import { fitView } from './fit-view'

const toolbar = { width: 256, height: 60 }
const minimap = { width: 168, height: 120 }

/** The graph's box on screen, as fitView places it. */
function placed(fit: FitView, graph: Size) {
  const [w, h] = [graph.width * fit.k, graph.height * fit.k]
  return { left: fit.x - w / 2, top: fit.y - h / 2, right: fit.x + w / 2, bottom: fit.y + h / 2 }
}

describe('fitView', () => {
  it('puts a long chain in the band across the width, between toolbar and minimap', () => {
    const canvas = { width: 830, height: 370 }
    const chain = { width: 1490, height: 130 }
    const fit = fitView(canvas, chain, toolbar, minimap)
    expect(fit.k).toBeCloseTo((0.9 * 830) / 1490)
    expect(fit.x).toBe(415)
    expect(fit.y).toBe(60 + (370 - 60 - 120) / 2)
  })

  it('shows a tall graph larger beside the minimap than in the band across', () => {
    const canvas = { width: 830, height: 370 }
    const rows = { width: 1040, height: 650 }
    const fit = fitView(canvas, rows, toolbar, minimap)
    const band = (0.9 * (370 - 60 - 120)) / 650
    // Below the toolbar, left of the minimap: 662 × 310 px.
    expect(fit.k).toBeCloseTo(Math.min((0.9 * 662) / 1040, (0.9 * 310) / 650))
    expect(fit.k).toBeGreaterThan(1.5 * band)
    expect(fit).toMatchObject({ x: 331, y: 60 + 155 })
  })

  it('never zooms a small graph past 1:1', () => {
    const fit = fitView({ width: 1200, height: 800 }, { width: 200, height: 90 }, toolbar, minimap)
    expect(fit.k).toBe(1)
  })

  it('keeps every graph in the canvas and clear of both corners, at least as large as the band', () => {
    const rng = createRng(9)
    for (let i = 0; i < 2000; i++) {
      const canvas = { width: 400 + rng.next() * 1200, height: 360 + rng.next() * 700 }
      const graph = { width: 50 + rng.next() * 4000, height: 50 + rng.next() * 3000 }
      const fit = fitView(canvas, graph, toolbar, minimap)
      const box = placed(fit, graph)
      const where = JSON.stringify({ canvas, graph, fit })
      expect(box.left, where).toBeGreaterThanOrEqual(0)
      expect(box.top, where).toBeGreaterThanOrEqual(0)
      expect(box.right, where).toBeLessThanOrEqual(canvas.width)
      expect(box.bottom, where).toBeLessThanOrEqual(canvas.height)
      const underToolbar = box.left < toolbar.width && box.top < toolbar.height
      const overMinimap =
        box.right > canvas.width - minimap.width && box.bottom > canvas.height - minimap.height
      expect(underToolbar || overMinimap, where).toBe(false)
      const band = canvas.height - toolbar.height - minimap.height
      const across = Math.min((0.9 * canvas.width) / graph.width, (0.9 * band) / graph.height, 1)
      expect(fit.k, where).toBeGreaterThanOrEqual(across)
    }
  })
})
