// Builds the WebGPU test page (e2e/webgpu: the harness that runs engine code on both backends
// in Chromium) into out/webgpu-harness with Vite. `npm test` runs it before Playwright.
import { resolve } from 'node:path'
import { build } from 'vite'

const repo = resolve(import.meta.dirname, '..')

await build({
  root: resolve(repo, 'e2e/webgpu'),
  base: './',
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: resolve(repo, 'out/webgpu-harness'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
  },
})
console.log('webgpu harness: out/webgpu-harness')
