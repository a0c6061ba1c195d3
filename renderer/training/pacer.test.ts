// The probe pacer: one run in flight, requests merged, runs spaced by the gap.
import { describe, expect, it } from 'vitest'
import { createPacer } from './pacer'

function fakeClock() {
  let t = 0
  const timers: { at: number; fn: () => void }[] = []
  return {
    now: () => t,
    later: (fn: () => void, ms: number) => void timers.push({ at: t + ms, fn }),
    async advance(ms: number) {
      t += ms
      await new Promise((r) => setTimeout(r, 0))
      for (;;) {
        const due = timers.filter((x) => x.at <= t)
        if (due.length === 0) break
        for (const d of due) timers.splice(timers.indexOf(d), 1)
        for (const d of due) d.fn()
        await new Promise((r) => setTimeout(r, 0))
      }
    },
  }
}

describe('createPacer', () => {
  it('merges requests made while a run is in flight into one follow-up', async () => {
    const clock = fakeClock()
    let runs = 0
    let finish: () => void = () => undefined
    const job = () => {
      runs++
      return new Promise<void>((done) => (finish = done))
    }
    const pacer = createPacer(job, 100, clock)
    pacer.request()
    await clock.advance(0)
    expect(runs).toBe(1)
    pacer.request()
    pacer.request()
    pacer.request()
    await clock.advance(500)
    expect(runs).toBe(1)
    finish()
    await clock.advance(0)
    await clock.advance(0)
    expect(runs).toBe(2)
  })

  it('spaces runs by the gap', async () => {
    const clock = fakeClock()
    let runs = 0
    const pacer = createPacer(
      () => {
        runs++
        return Promise.resolve()
      },
      100,
      clock,
    )
    pacer.request()
    await clock.advance(0)
    pacer.request()
    await clock.advance(50)
    expect(runs).toBe(1)
    await clock.advance(50)
    expect(runs).toBe(2)
  })
})
