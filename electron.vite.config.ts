// One build for every entry: main, the two preloads (CommonJS, since sandboxed preloads cannot
// load ES modules), the studio page, and the hidden engine page with its Worker twin.
import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'

const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: { entry: resolve(root, 'electron/main/index.ts'), formats: ['es'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Each preload is one self-contained file: a sandboxed preload cannot load shared chunks.
      isolatedEntries: true,
      rollupOptions: {
        input: {
          studio: resolve(root, 'electron/preload/studio.ts'),
          engine: resolve(root, 'electron/preload/engine.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root,
    base: './',
    plugins: [vue()],
    worker: { format: 'es' },
    build: {
      outDir: 'out/renderer',
      rollupOptions: {
        input: {
          studio: resolve(root, 'renderer/index.html'),
          engine: resolve(root, 'engine/host/engine.html'),
        },
      },
    },
  },
})
