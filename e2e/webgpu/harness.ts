// The WebGPU test page: makes one device, then offers the spec (through window.dendriteHarness)
// op-by-op conformance against the CPU reference, the compile-only zoo, training curves on both
// backends, a count of mapAsync calls, and the engine host itself training on either backend.
// Validation errors the device reports fail the call.
/// <reference types="@webgpu/types" />

import { probeAdapter, requestDevice } from '../../engine/backends/webgpu'
import type { Harness } from './api'
import type { OnDevice } from './device-errors'
import { failingOnErrors } from './device-errors'
import { runOp } from './op-run'
import { hostDiverge, hostLoseDevice, hostRun, hostTuning } from './host-run'
import {
  countMapAsync,
  countMaps,
  loopSteps,
  sessionDiverge,
  sessionGather,
  trainCurves,
} from './train-run'
import { keptTuning } from './tune-run'
import { compileZoo } from './zoo'
import type { OpName } from '../../engine/ir'
import { isOpName } from '../../engine/ir'

let onDevice: OnDevice | null = null

async function init(): Promise<string> {
  const probe = await probeAdapter()
  if (!probe.ok) throw new Error(probe.reason)
  onDevice = failingOnErrors(await requestDevice(probe.adapter))
  countMapAsync()
  return probe.name
}

/** Runs f on the device; throws what the device reported meanwhile. */
async function withDevice<T>(f: (d: GPUDevice) => Promise<T>): Promise<T> {
  if (onDevice === null) throw new Error('call init() first')
  return onDevice(f)
}

const op = (name: string): OpName => {
  if (!isOpName(name)) throw new Error(`no op named ${name}`)
  return name
}

const harness: Harness = {
  init,
  runOp: (name) => withDevice((d) => runOp(d, op(name))),
  compileZoo: () => withDevice((d) => compileZoo(d)),
  trainCurves: (model, steps, options) => withDevice((d) => trainCurves(d, model, steps, options)),
  countMaps: (steps, every) => withDevice((d) => countMaps(d, steps, every)),
  sessionGather: (model, steps) => withDevice((d) => sessionGather(d, model, steps)),
  sessionDiverge: (gather) => withDevice((d) => sessionDiverge(d, gather)),
  loopSteps: (steps, whole) => withDevice((d) => loopSteps(d, steps, whole)),
  hostRun: (project, backend, steps) => hostRun(project, backend, steps),
  hostDiverge: (backend) => hostDiverge(backend),
  hostLoseDevice: (project, steps) => hostLoseDevice(project, steps),
  hostTuning: () => hostTuning(),
  keptTuning: () => keptTuning(),
}

declare global {
  interface Window {
    dendriteHarness?: Harness
  }
}

window.dendriteHarness = harness
const status = document.getElementById('status')
if (status) status.textContent = 'ready'
