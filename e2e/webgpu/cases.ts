// What the WebGPU conformance suite runs and how close it must come to the CPU reference, shared
// by the Playwright spec (headless Chromium) and node-check.ts (Node on Dawn, for machines with a
// GPU and no browser), so both judge the same cases by the same bounds.
import type { OpName } from '../../engine/ir'
import type { CurveOptions, CurveReport, OpReport, TrainModel } from './api'

export const OP_TOLERANCE = 1e-4
export const CURVE_TOLERANCE = 1e-3

/** Ops not compared, with the reason. Empty: every primitive runs. */
export const SKIP: Partial<Record<OpName, string>> = {}

/** A matmul tile refused for needing more workgroup memory than the device offers (tiled.ts). */
export const WORKGROUP_LIMIT = /bytes of workgroup memory \(the device offers \d+\)$/
/** Whether a refusal is the device's limit, not a fault: too many pieces, too little memory. */
const deviceLimit = (why: string): boolean =>
  /takes one per piece\)$/.test(why) || WORKGROUP_LIMIT.test(why)

/**
 * What is wrong with an op's cases: a tensor further from the CPU's than OP_TOLERANCE, or a case
 * the backend refused for any reason but a device limit: a kernel binding more pieces than the
 * device allows, or a matmul tile needing more workgroup memory than it offers.
 */
export function opFailures(report: OpReport): string[] {
  return report.cases.flatMap((c) => [
    ...(c.refused === undefined || deviceLimit(c.refused)
      ? []
      : [`${report.op} ${c.label}: refused: ${c.refused}`]),
    ...c.tensors
      .filter((t) => !(t.error <= OP_TOLERANCE))
      .map(
        (t) => `${report.op} ${c.label}: ${t.name}[${t.at}] gpu ${t.gpu} cpu ${t.cpu} (${t.error})`,
      ),
  ])
}

/**
 * Curves compared, with their step counts (SwiftShader is a CPU emulation: keep them short) and
 * how WebGPU runs them: `wholeStep: false` runs a dispatch per kernel where the device would run
 * the whole step as one; `bindingBytes` binds every value larger than that in pieces.
 */
export const CURVES: readonly (readonly [TrainModel, number, CurveOptions?])[] = [
  ['spiral', 200],
  ['spiral', 200, { wholeStep: false }],
  // The whole step on 64 invocations, one per kernel invocation (the default plays them on 4).
  ['spiral', 200, { wholeStepLanes: 64 }],
  ['spiral-nesterov-clipped', 200],
  ['spiral-nesterov-clipped', 200, { wholeStep: false }],
  ['spiral-rmsprop-l2', 200],
  ['spiral-adamw-l1', 200, { wholeStep: false }],
  ['mnist-mlp', 200],
  // dense1.weight (784 × 128 floats, 392 KiB), its gradient and Adam's moments in two pieces.
  ['mnist-mlp', 200, { bindingBytes: 256 * 1024 }],
  // A real GPU's workgroup tiles with every product's depth split (split-products.ts): the bias,
  // relu and Adam's updates run after the parts' sum. Then the tuner's choices on this device.
  ['mnist-mlp', 200, { wholeStep: false, tiledMatmul: true, splitProducts: true }],
  ['mnist-mlp', 200, { wholeStep: false, tiledMatmul: true, tuneFrom: 0 }],
  // Whole tiled products: each bias gradient made by its weight gradient's kernel
  // (column-sums.ts; Adam's update with it takes more bindings than SwiftShader has).
  ['spiral-nesterov-clipped', 200, { wholeStep: false, tiledMatmul: true }],
  ['convnet', 200],
  ['mnist-convnet', 200],
  // Batch and layer norms, dropout and a dozen activations: the row reductions of a layer norm
  // and a softmax run their row-wide ops in their epilogues.
  ['many-layers', 100],
  ['many-layers', 100, { wholeStep: false }],
  // A layer norm's row sums and the softmax's row max as stages of one kernel.
  ['norm-classifier', 200],
  ['norm-classifier', 200, { wholeStep: false }],
]

/** Tiled products, none split: each bias gradient can be made by its weight gradient's kernel. */
export const wholeTiles = (o: CurveOptions): boolean =>
  o.tiledMatmul === true && o.splitProducts !== true && o.tuneFrom === undefined

/** How a curve's WebGPU side runs, for its name: "" when as the device decides. */
export function curveHow(options: CurveOptions): string {
  return (
    (options.wholeStep === false ? ' (a dispatch per kernel)' : '') +
    (options.bindingBytes === undefined ? '' : ` (bindings of ${options.bindingBytes} bytes)`) +
    (options.wholeStepLanes === undefined
      ? ''
      : ` (whole step on ${options.wholeStepLanes} lanes)`) +
    (options.splitProducts === true ? ' (tiled, every product split)' : '') +
    (options.tuneFrom === undefined ? '' : ' (tiled, as the tuner chose)') +
    (wholeTiles(options) ? ' (tiled)' : '')
  )
}

/** A curve's largest relative difference from the CPU's, and the step it is at (NaN counts). */
export function curveError(r: CurveReport): { error: number; step: number; at: string } {
  const worst = r.cpu.reduce(
    (w, c, i) => {
      const e = Math.abs((r.gpu[i] ?? NaN) - c) / Math.abs(c)
      return e > w.error || Number.isNaN(e) ? { error: e, step: i } : w
    },
    { error: 0, step: -1 },
  )
  const at = `step ${worst.step}: gpu ${r.gpu[worst.step]} cpu ${r.cpu[worst.step]}`
  return { ...worst, at }
}

/** The curve's line: kernels, dispatches, how its products ran, timings and the loss's path. */
export function curveLine(name: string, r: CurveReport): string {
  return (
    `${name}: ${r.kernels} kernels/step in ${r.dispatchesPerStep} dispatches` +
    `${r.pieced > 0 ? `, ${r.pieced} binding a value in pieces` : ''}` +
    `${r.split.length > 0 ? `, split: ${r.split.join(', ')}` : ''}` +
    `${r.depthSums > 0 ? `, ${r.depthSums} making a bias gradient` : ''}; ` +
    `cpu ${r.cpuMs.toFixed(0)} ms, ` +
    `webgpu ${r.gpuMs.toFixed(0)} ms; ` +
    `loss ${r.cpu[0]?.toFixed(4)} → ${r.cpu.at(-1)?.toFixed(4)}`
  )
}

/** |gpu − cpu| relative to the CPU's value (at least 1e-6); NaN where either is missing. */
export const relativeDiff = (gpu: number | undefined, cpu: number | undefined): number =>
  Math.abs((gpu ?? NaN) - (cpu ?? NaN)) / Math.max(Math.abs(cpu ?? NaN), 1e-6)
