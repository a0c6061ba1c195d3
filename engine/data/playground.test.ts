// Playground generators: determinism by seed, Playground's sizes, class balance, value ranges and
// the geometry of each set (disc and ring, quadrants, two interleaved spiral arms).
import { describe, expect, it } from 'vitest'
import { createRng } from '../util/rng'
import type { Dataset } from './dataset'
import type { PlaygroundName } from './playground'
import { PLAYGROUND_GENERATORS, playgroundDataset } from './playground'

const NAMES: PlaygroundName[] = ['circle', 'xor', 'gauss', 'spiral', 'reg-plane', 'reg-gauss']
const make = (name: PlaygroundName, seed = 7, noise = 0, size = 500): Dataset =>
  playgroundDataset(name, { size, noise, trainRatio: 0.5, seed })

/** Every point (train then test) as [x1, x2, y]. */
function points(d: Dataset): [number, number, number][] {
  const out: [number, number, number][] = []
  for (const s of [d.train, d.test]) {
    for (let i = 0; i < s.count; i++) out.push([s.x[2 * i] ?? 0, s.x[2 * i + 1] ?? 0, s.y[i] ?? 0])
  }
  return out
}

const raw = (name: PlaygroundName, noise = 0, n = 500) =>
  PLAYGROUND_GENERATORS[name](createRng(3), n, noise)

describe('playground data sets', () => {
  it.each(NAMES)('%s: same seed gives identical data, another seed different data', (name) => {
    const a = make(name, 11, 0.2)
    const b = make(name, 11, 0.2)
    const c = make(name, 12, 0.2)
    expect(a.train.x).toEqual(b.train.x)
    expect(a.test.y).toEqual(b.test.y)
    expect(a.train.x).not.toEqual(c.train.x)
  })

  it.each(NAMES)('%s: splits 50 % into train and test, inputs inside [-6, 6]²', (name) => {
    const d = make(name)
    expect(d.train.count).toBe(250)
    expect(d.test.count).toBe(250)
    expect(d.inputShape).toEqual([2])
    for (const [x, y] of points(d)) {
      expect(Math.abs(x)).toBeLessThanOrEqual(6)
      expect(Math.abs(y)).toBeLessThanOrEqual(6)
    }
  })

  it('classification sets use class indices 0/1 with Playground balance', () => {
    for (const name of ['circle', 'gauss', 'spiral'] as const) {
      const ys = points(make(name)).map((p) => p[2])
      expect(new Set(ys)).toEqual(new Set([0, 1]))
      expect(ys.filter((y) => y === 1)).toHaveLength(250)
    }
    const xorPositive = points(make('xor')).filter((p) => p[2] === 1).length
    expect(xorPositive).toBeGreaterThan(200)
    expect(xorPositive).toBeLessThan(300)
    expect(make('circle').classNames).toEqual(['negative', 'positive'])
  })

  it('circle: positive inside radius 2.5, negative in the ring 3.5–5', () => {
    for (const [x, y, label] of points(make('circle'))) {
      const r = Math.hypot(x, y)
      if (label === 1) expect(r).toBeLessThan(2.5)
      else expect(r >= 3.5 - 1e-5 && r <= 5 + 1e-5).toBe(true)
    }
  })

  it('xor: the class is the sign of x1·x2, with 0.3 padding from the axes', () => {
    for (const [x, y, label] of points(make('xor'))) {
      expect(Math.abs(x)).toBeGreaterThanOrEqual(0.3 - 1e-6)
      expect(Math.abs(y)).toBeGreaterThanOrEqual(0.3 - 1e-6)
      expect(label).toBe(x * y >= 0 ? 1 : 0)
    }
  })

  it('gauss: clusters at (2, 2) and (−2, −2) with variance 0.5 at zero noise', () => {
    const pos = raw('gauss').filter((p) => p.label === 1)
    const mean = pos.reduce((s, p) => s + p.x, 0) / pos.length
    const sd = Math.sqrt(pos.reduce((s, p) => s + (p.x - mean) ** 2, 0) / pos.length)
    expect(mean).toBeCloseTo(2, 0)
    expect(sd).toBeGreaterThan(0.6)
    expect(sd).toBeLessThan(0.82)
    const wide = raw('gauss', 0.5).filter((p) => p.label === 1)
    const wideSd = Math.sqrt(wide.reduce((s, p) => s + (p.x - 2) ** 2, 0) / wide.length)
    expect(wideSd).toBeGreaterThan(1.7) // variance 4 at noise 0.5
  })

  it('spiral: two arms, angle = 3.5π·r/5 (+π for the negative arm), interleaved', () => {
    const wrap = (a: number): number => Math.abs(Math.atan2(Math.sin(a), Math.cos(a)))
    for (const p of raw('spiral')) {
      const r = Math.hypot(p.x, p.y)
      if (r < 0.05) continue
      const own = 1.75 * 2 * Math.PI * (r / 5) + (p.label === 1 ? 0 : Math.PI)
      const angle = Math.atan2(p.x, p.y)
      expect(wrap(angle - own)).toBeLessThan(1e-9)
      // At the same radius the other arm lies opposite: the arms interleave.
      expect(wrap(angle - own - Math.PI)).toBeCloseTo(Math.PI, 9)
    }
    const noisy = raw('spiral', 0.5)
    expect(noisy.some((p) => Math.hypot(p.x, p.y) > 5)).toBe(true)
  })

  it('regression sets keep real values: plane in [−1.2, 1.2], Gaussians in [−1, 1]', () => {
    const plane = make('reg-plane', 5, 0, 1200)
    expect(plane.task).toBe('regression')
    expect(plane.classNames).toBeUndefined()
    expect(plane.train.count).toBe(600)
    for (const [x, y, v] of points(plane)) expect(v).toBeCloseTo((x + y) / 10, 5)
    const bumps = points(make('reg-gauss', 5, 0, 1200)).map((p) => p[2])
    expect(Math.max(...bumps)).toBeLessThanOrEqual(1)
    expect(Math.min(...bumps)).toBeGreaterThanOrEqual(-1)
    expect(Math.max(...bumps)).toBeGreaterThan(0.8)
    expect(Math.min(...bumps)).toBeLessThan(-0.8)
  })
})
