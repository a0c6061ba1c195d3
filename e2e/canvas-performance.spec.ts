// The canvas keeps up: shapes and parameter counts follow an edit within 100 ms, and a 300-node
// graph pans and zooms smoothly (frame times printed, asserted against a generous bound).
import { expect, test } from './fixtures'
import { canvas, expectDefaultGraph, grantClipboard, node, nodes, toolbar } from './studio.page'

test.beforeEach(async ({ studio }) => {
  await expectDefaultGraph(studio)
})

test('shapes and parameter counts update within 100 ms of an edit', async ({ studio }) => {
  await node(studio, 'input-1').getByTestId('node-title').click()
  await studio.keyboard.press('Delete')
  await expect(node(studio, 'dense-1').getByTestId('node-params')).not.toHaveText('24 parameters')
  const undo = toolbar(studio).getByRole('button', { name: 'Undo' })
  const elapsed = await undo.evaluate((button) => {
    const params = document.querySelector('[data-node-id="dense-1"] [data-testid="node-params"]')
    return new Promise<number>((resolve) => {
      const start = performance.now()
      new MutationObserver(() => {
        if (params?.textContent === '24 parameters') resolve(performance.now() - start)
      }).observe(document.body, { subtree: true, childList: true, characterData: true })
      if (button instanceof HTMLButtonElement) button.click()
    })
  })
  console.log(`badges updated ${elapsed.toFixed(1)} ms after the edit`)
  expect(elapsed).toBeLessThan(100)
})

/** A fragment of rows of chained layers: Input → (Dense → ReLU) … → Dense, `count` nodes. */
function bigFragment(count: number, perRow: number): string {
  const nodes: object[] = []
  const edges: object[] = []
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / perRow)
    const col = i % perRow
    const type = col === 0 ? 'input' : col % 2 === 1 ? 'dense' : 'relu'
    const attrs = type === 'input' ? { shape: '4' } : type === 'dense' ? { units: 8 } : {}
    nodes.push({ id: `n${i}`, type, attrs, position: { x: col * 220, y: row * 160 } })
    if (col > 0) {
      const port = { node: `n${i - 1}`, port: 'y' }
      edges.push({ id: `e${i}`, source: port, target: { node: `n${i}`, port: 'x' } })
    }
  }
  return JSON.stringify({ format: 'dendrite.fragment', nodes, edges })
}

function stats(frames: number[]): { median: number; p95: number } {
  const sorted = [...frames].sort((a, b) => a - b)
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { median: at(0.5), p95: at(0.95) }
}

test('a 300-node graph pans and zooms smoothly', async ({ studio, server }) => {
  test.setTimeout(120_000)
  await grantClipboard(studio, server.origin)
  await studio.evaluate((text) => navigator.clipboard.writeText(text), bigFragment(300, 15))
  await canvas(studio).hover({ position: { x: 200, y: 200 } })
  await studio.keyboard.press('Control+v')
  await expect(nodes(studio)).toHaveCount(305, { timeout: 60_000 })
  await expect(node(studio, 'dense-3').getByTestId('node-params')).toHaveText('40 parameters')
  // Every node in view: the most the canvas has to draw.
  await studio.keyboard.press('f')
  await studio.screenshot({ path: 'test-results/canvas/300-nodes.png' })

  // Find empty canvas to press on (between nodes), in the middle of the view.
  const empty = await canvas(studio).evaluate((el) => {
    const r = el.getBoundingClientRect()
    for (let dy = 0; dy < r.height / 2; dy += 7) {
      for (let dx = 0; dx < r.width / 2; dx += 7) {
        const x = r.left + r.width / 2 - dx
        const y = r.top + r.height / 2 - dy
        const hit = document.elementFromPoint(x, y)
        if (hit === el || hit?.parentElement === el) return { x, y }
      }
    }
    return null
  })
  if (!empty) throw new Error('no empty spot on the canvas')

  await studio.evaluate(() => {
    const w = window as unknown as { frameTimes: number[]; recording: boolean }
    Object.assign(w, { frameTimes: [], recording: true })
    let last = performance.now()
    const tick = (t: number): void => {
      w.frameTimes.push(t - last)
      last = t
      if (w.recording) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  await studio.mouse.move(empty.x, empty.y)
  await studio.mouse.down()
  for (let i = 1; i <= 60; i++) await studio.mouse.move(empty.x + i * 4, empty.y + i * 2)
  await studio.mouse.up()
  for (let i = 0; i < 12; i++) await studio.mouse.wheel(0, -120)
  for (let i = 0; i < 12; i++) await studio.mouse.wheel(0, 120)
  const frames = await studio.evaluate(() => {
    const w = window as unknown as { frameTimes: number[]; recording: boolean }
    w.recording = false
    return w.frameTimes.slice(1)
  })
  const { median, p95 } = stats(frames)
  const figure = `median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`
  console.log(`300 nodes, pan and zoom: ${frames.length} frames, ${figure}`)
  expect(frames.length).toBeGreaterThan(10)
  expect(median).toBeLessThan(100)
})
