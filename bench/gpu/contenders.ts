// The GPU bench's contenders, one at a time on one device: this engine's WebGPU backend beside
// TensorFlow.js's webgpu and webgl backends, the same MLP steps and batches as the Node bench.
// Runs in the bench page (Chromium) and in Node on Dawn (bench/gpu-node.ts, where there is no
// WebGL). GPU memory is counted by wrapping createBuffer and destroy (WebGPU contenders) or
// read from tfjs's own count (webgl, which WebGPU cannot see).
/// <reference types="@webgpu/types" />

import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-webgpu'
import { isCpuEmulation, probeAdapter, requestDevice } from '../../engine/backends/webgpu'
import type { EngineChoice, GpuBench, GpuContender, GpuResult } from './api'
import { engineWebGpu } from './engine-webgpu'
import { dispatchCost } from './dispatch-cost'
import { fmaRate } from './fma-rate'
import { gpuMemory } from './gpu-memory'
import { measure } from '../measure'
import type { Budget } from '../measure'
import type { MlpShape } from '../shapes'
import { makeBatch } from '../shapes'
import { tfjsMlp } from '../tfjs-mlp'

let device: GPUDevice | null = null
/** Steps a tfjs contender may have queued on the GPU before it waits for them. */
const QUEUE_DEPTH = 4

async function init(): Promise<{ name: string; emulated: boolean }> {
  gpuMemory.watch()
  const probe = await probeAdapter()
  if (!probe.ok) throw new Error(probe.reason)
  device = await requestDevice(probe.adapter)
  return { name: probe.name, emulated: isCpuEmulation(probe.adapter.info) }
}

async function runEngine(
  shape: MlpShape,
  budget: Budget,
  engine: EngineChoice,
): Promise<GpuResult> {
  if (device === null) throw new Error('call init() first')
  gpuMemory.reset()
  const m = await engineWebGpu(device, shape, makeBatch(shape), engine)
  try {
    const rate = await measure(m.run, budget, m.sync, m.perCall)
    return {
      rate,
      loss: await m.loss(),
      peakBytes: gpuMemory.peak(),
      peakHow: 'GPU buffers created minus destroyed (createBuffer wrapped)',
      kernels: m.kernels,
      dispatches: m.dispatches,
      flops: m.flops,
      readyMs: m.readyMs,
    }
  } finally {
    m.dispose()
  }
}

async function runTfjs(backend: 'webgpu' | 'webgl', shape: MlpShape, budget: Budget) {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} did not start`)
  await tf.ready()
  gpuMemory.reset()
  let webglPeak = 0
  const sampleWebgl = (): void => {
    const m = tf.memory() as tf.MemoryInfo & { numBytesInGPUAllocated?: number }
    webglPeak = Math.max(webglPeak, m.numBytesInGPUAllocated ?? 0)
  }
  const m = tfjsMlp(shape, makeBatch(shape))
  try {
    const sync = async (): Promise<void> => {
      await m.lossAsync()
      if (backend === 'webgl') sampleWebgl()
    }
    // tfjs returns before the GPU has run a step: wait every few steps, so the page never
    // queues more work than a burst (a deep queue would make the bursts minutes long).
    let queued = 0
    const step = (): Promise<void> | undefined => {
      m.step()
      if (++queued < QUEUE_DEPTH) return undefined
      queued = 0
      return sync()
    }
    const rate = await measure(step, budget, sync)
    const loss = await m.lossAsync()
    return backend === 'webgpu'
      ? {
          rate,
          loss,
          peakBytes: gpuMemory.peak(),
          peakHow: 'GPU buffers created minus destroyed (createBuffer wrapped)',
        }
      : {
          rate,
          loss,
          peakBytes: webglPeak,
          peakHow: "tfjs's numBytesInGPUAllocated after each burst (textures; a lower bound)",
        }
  } finally {
    m.dispose()
  }
}

async function profile(
  shape: MlpShape,
  engine: EngineChoice,
): Promise<{ name: string; ms: number }[]> {
  if (device === null) throw new Error('call init() first')
  const m = await engineWebGpu(device, shape, makeBatch(shape), engine)
  try {
    await m.run()
    const times = await m.profile()
    return times.sort((a, b) => b.ms - a.ms)
  } finally {
    m.dispose()
  }
}

/** The contenders on this platform's WebGPU (the page's, or Dawn's in Node). */
export const gpuBench: GpuBench = {
  init,
  profile,
  cardRate: () => {
    if (device === null) throw new Error('call init() first')
    return fmaRate(device)
  },
  dispatchCost: () => {
    if (device === null) throw new Error('call init() first')
    return dispatchCost(device)
  },
  run: (contender: GpuContender, shape: MlpShape, budget: Budget, engine: EngineChoice) =>
    contender === 'engine-webgpu'
      ? runEngine(shape, budget, engine)
      : runTfjs(contender === 'tfjs-webgpu' ? 'webgpu' : 'webgl', shape, budget),
}
