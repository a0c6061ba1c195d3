// A GPU session's model on a device: its executable with the logs a piece of steps reads,
// whether the training split's examples can live on the device, what the device says when it
// is lost, and the step's WGSL programs as the Program tab lists them. gpu-session.ts makes
// these on its device, gpu-recovery.ts again on a new one after a loss.
/// <reference types="@webgpu/types" />
import type { StepLog, TunerHooks, WebGpuExecutable } from '../backends/webgpu'
import { createWebGpuExecutable, programText } from '../backends/webgpu'
import type { Dataset } from '../data/dataset'
import { DATA_INPUT, LOSS_OUTPUT, PREDICTION_OUTPUT } from '../lower/lower-graph'
import type { ModelPlan, ModelSummary } from './model'

/**
 * Most steps recorded before the logs are read (also the logs' capacity, unless fewer steps'
 * predictions fit the device: then pieces are as short as the logs).
 */
export const PIECE = 256

export interface Attached {
  readonly exe: WebGpuExecutable
  /** What every piece's read begins with: the loss log, then the predictions' where made. */
  readonly logs: readonly StepLog[]
  readonly predicts: boolean
  /** Steps every log keeps: the most a piece may take. */
  readonly steps: number
}

/** The training inputs stay on the device when they take at most this share of a buffer. */
const TABLE_SHARE = 1 / 4

/**
 * Whether the training split's inputs go to the device once, to gather batches there: when
 * they fit one binding and a quarter of the largest buffer (else batches are uploaded).
 */
export function gathersOnDevice(device: GPUDevice, dataset: Dataset): boolean {
  const bytes = dataset.train.x.byteLength
  const limits = device.limits
  return bytes <= limits.maxStorageBufferBindingSize && bytes <= limits.maxBufferSize * TABLE_SHARE
}

/** The model's executable on `device`, with the logs a piece reads. */
export async function attach(
  model: ModelPlan,
  device: GPUDevice,
  table: Float32Array | null,
  tuning: TunerHooks,
): Promise<Attached> {
  const exe = await createWebGpuExecutable(model.plan, device, { tuning })
  if (table !== null) exe.gatherRows(DATA_INPUT, table)
  const predicts = exe.outputs.some((o) => o.name === PREDICTION_OUTPUT)
  const names = [LOSS_OUTPUT, ...(predicts ? [PREDICTION_OUTPUT] : [])]
  try {
    const logs = names.map((name) => exe.log(name, PIECE))
    return { exe, logs, predicts, steps: Math.min(...logs.map((l) => l.capacity)) }
  } catch (err) {
    exe.dispose()
    throw err
  }
}

/**
 * The summary with the step as the device runs it: each WGSL program, named, after the
 * compiler's passes (the Program tab's last stage).
 */
export function withKernels(summary: ModelSummary, exe: WebGpuExecutable): ModelSummary {
  const n = exe.dispatchesPerStep
  const head = `// ${exe.programs.length} programs; a step runs as ${n} dispatch${n === 1 ? '' : 'es'}\n`
  const text = head + exe.programs.map((p) => programText(p.name, p.key, p.wgsl())).join('\n')
  const kernels = { pass: 'wgsl', text, count: exe.programs.length, unit: 'kernels' } as const
  return { ...summary, trainIr: [...summary.trainIr, kernels] }
}

/** Why `device` was lost, if it was (a failed read may come just before the loss is told). */
export async function lostReason(device: GPUDevice): Promise<string | null> {
  const wait = new Promise<null>((resolve) => setTimeout(() => resolve(null), 500))
  const info = await Promise.race([device.lost, wait])
  return info === null ? null : lossText(info)
}

/** What a lost device's info says of why, without a closing full stop. */
export function lossText(info: GPUDeviceLostInfo): string {
  return (info.message || info.reason || 'unknown reason').replace(/\.$/, '')
}
