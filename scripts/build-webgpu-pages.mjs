// Builds the two static WebGPU pages with Vite: the test harness (e2e/webgpu → out/webgpu-harness,
// engine code on both backends for the Playwright spec) and the GPU bench (bench/gpu →
// out/bench-gpu, for `npm run bench`). `npm test` builds both, so the bench's page never rots.
import { resolve } from 'node:path'
import { build } from 'vite'

const repo = resolve(import.meta.dirname, '..')

const PAGES = [
  ['e2e/webgpu', 'out/webgpu-harness'],
  ['bench/gpu', 'out/bench-gpu'],
]

for (const [from, to] of PAGES) {
  await build({
    root: resolve(repo, from),
    base: './',
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: resolve(repo, to),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 8192,
    },
  })
  console.log(`webgpu page: ${to}`)
}
