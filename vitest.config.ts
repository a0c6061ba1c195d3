// Unit tests run in Node: engine on the CPU backend, io, protocol, services, and the WebGPU
// conformance suite's own judgements and Node runner (e2e/webgpu).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'engine/**/*.test.ts',
      'electron/**/*.test.ts',
      'renderer/**/*.test.ts',
      'e2e/webgpu/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'threads',
  },
})
