// The studio opens in browser mode as a person would see it: the default graph with the
// engine's shapes and parameter counts, the WebGPU adapter named, and the server locked down.
import { TOKEN_HEADER } from '../electron/bridge'
import { expect, test } from './fixtures'

test('opens with the default graph, shapes and parameter counts from the engine', async ({
  studio,
}) => {
  await expect(studio.getByLabel('Graph canvas')).toBeVisible()
  const nodes = studio.getByTestId('node')
  await expect(nodes).toHaveCount(5)
  const dense = studio.locator('[data-testid="node"][data-node-type="dense"]')
  await expect(dense).toHaveCount(2)
  // Dense 8 after 2 inputs: 2·8 weights + 8 biases.
  await expect(dense.first().getByTestId('node-params')).toHaveText('24 parameters')
  await expect(dense.first().getByTestId('node-shape')).toHaveText('8')
  // Dense 2 after 8: 8·2 + 2.
  await expect(dense.nth(1).getByTestId('node-params')).toHaveText('18 parameters')
  const input = studio.locator('[data-testid="node"][data-node-type="input"]')
  await expect(input.getByTestId('node-shape')).toHaveText('2')
  await expect(studio.getByTestId('status-params')).toContainText('42')
})

test('the status bar names the WebGPU adapter, and a narrow window cuts only that', async ({
  studio,
}) => {
  const backend = studio.getByTestId('status-backend')
  await expect(backend).toContainText('WebGPU')
  await expect(backend).toContainText('swiftshader')
  await expect(studio.getByTestId('status-params')).toContainText('42')

  // The backend's sentence gives way; the counts stay whole, and the whole sentence is its title.
  await studio.setViewportSize({ width: 520, height: 700 })
  const whole = (id: string): Promise<boolean> =>
    studio.getByTestId(id).evaluate((el) => el.scrollWidth <= el.clientWidth)
  for (const id of ['status-problems', 'status-flops', 'status-params']) {
    expect(await whole(id), id).toBe(true)
  }
  const text = backend.locator('.text')
  expect(await text.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
  expect(await backend.getAttribute('title')).toContain(await text.textContent())
})

test('requests without the token are refused and change nothing', async ({ server, request }) => {
  const page = await request.get(`${server.origin}/renderer/index.html`)
  expect(page.status()).toBe(403)
  const api = await request.get(`${server.origin}/api/app-info`)
  expect(api.status()).toBe(403)
  const wrong = await request.get(`${server.origin}/api/app-info`, {
    headers: { [TOKEN_HEADER]: 'not-the-token' },
  })
  expect(wrong.status()).toBe(403)
  const foreign = await request.get(`${server.origin}/api/app-info`, {
    headers: { [TOKEN_HEADER]: server.token, origin: 'http://evil.example' },
  })
  expect(foreign.status()).toBe(403)
  const good = await request.get(`${server.origin}/api/app-info`, {
    headers: { [TOKEN_HEADER]: server.token },
  })
  expect(good.status()).toBe(200)
  expect(await good.json()).toMatchObject({ name: 'Dendrite', platform: 'browser' })
})
