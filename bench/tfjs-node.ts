// Selecting a TensorFlow.js backend in Node: 'cpu' (plain JavaScript) or 'wasm', whose binaries
// load from node_modules, so this works offline.

import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'

export type TfjsBackend = 'cpu' | 'wasm'

/** Selects a tfjs backend; returns a note on its flavour (SIMD, threads). */
export async function useTfjs(backend: TfjsBackend): Promise<string> {
  if (backend === 'wasm') {
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')
    setWasmPaths(`${dirname(entry)}/`)
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} did not start`)
  await tf.ready()
  if (backend === 'cpu') return 'plain JavaScript'
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')
  return `SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'}`
}
