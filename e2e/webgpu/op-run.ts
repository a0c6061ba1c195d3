// One conformance case on both backends: the op's forward output and, through grad(), the
// gradient of Σ y·r (r a fixed random tensor, so every output element's cotangent differs)
// with respect to each random operand, run on the CPU reference and on WebGPU and compared.

import { grad } from '../../engine/autodiff'
import { createCpuExecutable } from '../../engine/backends/cpu'
import { TILES, createWebGpuExecutable, splitEveryProduct } from '../../engine/backends/webgpu'
import type { WebGpuOptions } from '../../engine/backends/webgpu'
import type { OpAttrs, OpName, Program, Value } from '../../engine/ir'
import { numel, ProgramBuilder } from '../../engine/ir'
import { compile } from '../../engine/passes'
import { createRng } from '../../engine/util/rng'
import type { CaseReport, OpReport, TensorDiff } from './api'
import { WORKGROUP_LIMIT } from './cases'
import type { OpCase } from './op-cases'
import { FORWARD_ONLY, OP_CASES } from './op-cases'

interface Built {
  readonly program: Program
  readonly feeds: Record<string, number[]>
  readonly compare: readonly string[]
}

function build<K extends OpName>(op: K, c: OpCase<OpAttrs[K]>, seed: number): Built {
  const rng = createRng(seed)
  const b = new ProgramBuilder()
  const feeds: Record<string, number[]> = {}
  const wrt: string[] = []
  const xs = c.operands.map((o, i) => {
    const name = `x${i}`
    feeds[name] = o.values
      ? [...o.values]
      : Array.from({ length: numel(o.shape) }, () => rng.uniform(o.lo ?? -1, o.hi ?? 1))
    if (!o.values) wrt.push(name)
    return b.input(name, o.shape)
  })
  const y = b.emit(op, xs, c.attrs)
  b.output('y', y)
  const extra = op === 'matmul' ? [depthSum(b, xs, c.attrs as OpAttrs['matmul'], seed % 2)] : []
  if (wrt.length === 0 || FORWARD_ONLY[op] !== undefined) {
    return { program: b.build(), feeds, compare: ['y', ...extra] }
  }
  const r = Array.from({ length: numel(y.shape) }, () => rng.uniform(-1, 1))
  const loss = b.mul(y, b.constant('r', y.shape, r))
  b.output(
    'loss',
    b.sum(
      loss,
      y.shape.map((_, i) => i),
    ),
  )
  const program = grad(b.build(), { wrt })
  return { program, feeds, compare: ['y', ...extra, ...wrt.map((n) => `grad:${n}`)] }
}

/**
 * A product's operand k summed over the depth, as a bias gradient sums a layer's gradient over
 * the batch: tiled products make it in their own kernel (column-sums.ts).
 */
function depthSum(b: ProgramBuilder, xs: readonly Value[], attrs: OpAttrs['matmul'], k: number) {
  const x = xs[k]
  if (x === undefined) throw new Error('matmul takes two operands')
  const rank = x.shape.length
  const depthLast = k === 0 ? !attrs.transposeA : attrs.transposeB
  b.output('depth_sum', b.sum(x, [depthLast ? rank - 1 : rank - 2]))
  return 'depth_sum'
}

/** Largest |gpu − cpu| / max(|cpu|, 1 % of the tensor's largest magnitude). */
export function diff(name: string, gpu: ArrayLike<number>, cpu: ArrayLike<number>): TensorDiff {
  let scale = 0
  for (let i = 0; i < cpu.length; i++) scale = Math.max(scale, Math.abs(cpu[i] ?? 0))
  const floor = Math.max(1e-2 * scale, 1e-30)
  let worst: TensorDiff = { name, size: cpu.length, error: 0, at: -1, gpu: NaN, cpu: NaN }
  if (gpu.length !== cpu.length) return { ...worst, error: Infinity }
  for (let i = 0; i < cpu.length; i++) {
    const [g, c] = [gpu[i] ?? NaN, cpu[i] ?? NaN]
    const same = g === c || (Number.isNaN(g) && Number.isNaN(c))
    const error = same ? 0 : Math.abs(g - c) / Math.max(Math.abs(c), floor)
    if (!(error <= worst.error)) worst = { name, size: cpu.length, error, at: i, gpu: g, cpu: c }
  }
  return worst
}

/**
 * Every case runs a kernel per dispatch, as a whole step in one dispatch (whole-step.ts), and
 * with every value over 2 KiB (512 floats) bound in pieces (pieces.ts).
 */
const PER_KERNEL: readonly [string, WebGpuOptions][] = [['', { wholeStep: false }]]
const WHOLE: readonly [string, WebGpuOptions] = [' (whole step)', { wholeStep: true }]
const PIECES: readonly [string, WebGpuOptions] = [
  ' (in pieces of 2 KiB)',
  { wholeStep: false, bindingBytes: 2048 },
]

type Variant = readonly [string, WebGpuOptions | ((p: Program) => WebGpuOptions)]

/** Ops whose kernels come in device-tuned variants: every variant runs every case. */
const VARIANTS: Partial<Record<OpName, readonly Variant[]>> = {
  matmul: [
    ...Object.entries(TILES).map(([name, tile]): Variant => [
      ` (workgroup tiles: ${name})`,
      { tiledMatmul: true, matmulTile: tile, wholeStep: false },
    ]),
    ...(['small', 'square8', 'large8x2'] as const).map((name): Variant => [
      ` (depth split, workgroup tiles: ${name})`,
      (p) => ({
        tiledMatmul: true,
        wholeStep: false,
        products: splitEveryProduct(p, TILES[name]),
      }),
    ]),
    [' (direct)', { tiledMatmul: false, wholeStep: false }],
  ],
}

async function runCase<K extends OpName>(
  device: GPUDevice,
  op: K,
  c: OpCase<OpAttrs[K]>,
  seed: number,
  [suffix, variant]: Variant,
): Promise<CaseReport> {
  const built = build(op, c, seed)
  const plan = compile(built.program)
  const options = typeof variant === 'function' ? variant(plan.program) : variant
  const cpu = createCpuExecutable(plan)
  cpu.step(built.feeds)
  const made = await createWebGpuExecutable(plan, device, options).catch((err: unknown) => {
    // Refused by name when pieces need more bindings than a kernel has, or a tile more
    // workgroup memory than the device offers: no result to compare.
    if (options.bindingBytes !== undefined && String(err).includes('one per piece')) {
      return String(err)
    }
    if (WORKGROUP_LIMIT.test(String(err))) return String(err)
    throw err
  })
  if (typeof made === 'string') {
    const report = { label: `${c.label}${suffix}`, tensors: [], kernels: 0, whole: false }
    return { ...report, pieced: 0, depthSums: 0, refused: made }
  }
  const gpu = made
  try {
    gpu.step(built.feeds)
    const tensors: TensorDiff[] = []
    for (const name of built.compare) {
      tensors.push(diff(name, await gpu.read(name), cpu.view(name)))
    }
    const whole = options.wholeStep === true && gpu.dispatchesPerStep === 1
    const label =
      c.label + (options.wholeStep === true && !whole ? ' (whole step refused)' : suffix)
    const pieced = gpu.programs.filter((g) => g.pieces !== undefined).length
    const depthSums = gpu.programs.filter((g) => g.key.includes(':sums(')).length
    return { label, tensors, kernels: gpu.programs.length, whole, pieced, depthSums }
  } finally {
    gpu.dispose()
  }
}

export async function runOp(device: GPUDevice, op: OpName): Promise<OpReport> {
  const cases: readonly OpCase<OpAttrs[OpName]>[] = OP_CASES[op]
  const reports: CaseReport[] = []
  for (const variant of [...(VARIANTS[op] ?? PER_KERNEL), WHOLE, PIECES]) {
    for (const [i, c] of cases.entries()) {
      reports.push(await runCase(device, op, c, 17 + i, variant))
    }
  }
  return { op, cases: reports }
}
