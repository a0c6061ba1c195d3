// Measures, on the device at hand, how each large matrix product of a program runs fastest.
// WebGPU says nothing of a GPU's multiprocessors, caches or registers, and the best tile moves
// with them (bench/README.md has an H100's figures), so each product is timed alone: first
// whole with every tile of TILES; then each tile that fills the GPU less than the fastest whole
// tile does (fewer workgroups, or fewer invocations in all: a multiprocessor hides its memory
// waits with the invocations it holds), with its depth split in as many parts as it takes to
// match (split-products.ts: a large block does more per read of workgroup memory, but a 256-row
// result has few of them); then the two fastest tiles with every split, 2 to 16 parts. A
// product whose operand the program sums over the depth (a weight gradient, whose bias
// gradient its tiles make when whole: column-sums.ts) is timed with that sum, so a split pays
// for the sum's own dispatch. The winner is kept per device and product, so a later plan with
// the same product is not timed again, and, given a memory (tune-memory.ts), per adapter between
// runs of the app. Products too small to repay the timing keep pickTile's tile, whole. A first
// load of a large model times for seconds, so a listener hears how many products are timed.
// Candidates are made a few at a time ahead of their timings (CandidateTimer), and the device
// is kept busy before the first (warmUp): a card idle while pipelines compile lets its clock
// fall, and what is timed then looks slower than it is.

import type { Program } from '../../ir'
import { ProgramBuilder } from '../../ir'
import { compile } from '../../passes'
import { createWebGpuExecutable } from './executable'
import type { WebGpuExecutable } from './executable'
import type { ProductChoice, ProductDims } from './split-products'
import { productKey, productsOf } from './split-products'
import type { MatmulTile } from './tiled'
import { TILES, pickTile, threads, tileProblem, tileSpec } from './tiled'
import type { ProductOperand } from './anchor'
import { summedProducts } from './column-sums'
import type { TuneMemory } from './tune-memory'
import { keptAs, keptChoice, memoryKey } from './tune-memory'

/** Each part of a split product walks at least this much of the depth. */
const MIN_PART_DEPTH = 128
const PARTS = [2, 4, 8, 16] as const
/** Floats the partial products of a split may take (32 MiB): the peak memory goal's slack. */
const MAX_PARTIAL_FLOATS = 1 << 23
/** Tiles, the fastest so far, whose every split is tried. */
const SPLIT_BEST = 2

export interface TuneOptions {
  /** Products of fewer multiply-adds keep pickTile's tile, whole (default TUNE_FROM). */
  readonly from?: number
  /** About how long one timing runs, in seconds (default 2 ms). */
  readonly seconds?: number
  /** Where choices are kept between runs of the app (default: none, timed in each run). */
  readonly memory?: TuneMemory | null | undefined
  /**
   * Told, before each product it times and once after the last, how many of the products to
   * time are done (not told where every product is known or kept).
   */
  readonly progress?: ((done: number, total: number) => void) | undefined
  /** The tiles to choose from (default: TILES; the bench's --tiles=grid passes a wider set). */
  readonly tiles?: readonly MatmulTile[] | undefined
  /**
   * Seconds a run of `p` takes with `choice`, its operand `sums` summed beside it (default:
   * timeProduct on the device); tests pass their own.
   */
  readonly time?: (
    p: ProductDims,
    choice: ProductChoice,
    sums: ProductOperand | null,
  ) => Promise<number>
}

/** What the tuner's callers outside the backend say: where choices are kept, who hears progress. */
export type TunerHooks = Pick<TuneOptions, 'memory' | 'progress' | 'tiles'>

/** Every tile, whole. */
export function wholeChoices(tiles: readonly MatmulTile[] = Object.values(TILES)): ProductChoice[] {
  return tiles.map((tile) => ({ tile, parts: 1 }))
}

/** The splits of `p` on `tile` that its depth allows, within the partial products' memory. */
export function splitChoices(p: ProductDims, tile: MatmulTile): ProductChoice[] {
  const fits = (parts: number): boolean =>
    p.K % parts === 0 && p.K / parts >= MIN_PART_DEPTH && parts * p.M * p.N <= MAX_PARTIAL_FLOATS
  return PARTS.filter(fits).map((parts) => ({ tile, parts }))
}

const tuned = new WeakMap<GPUDevice, Map<string, ProductChoice>>()

/** A product the tuner must time, and the names its choice is kept under. */
interface Untimed {
  readonly p: ProductDims
  readonly sums: ProductOperand | null
  /** Its key among the device's choices, and in the memory (null: no memory). */
  readonly knownAs: string
  readonly kept: string | null
}

/** The fastest tile and split of each large product of `program` on `device`, by productKey. */
export async function tuneProducts(
  device: GPUDevice,
  program: Program,
  opts: TuneOptions = {},
): Promise<Map<string, ProductChoice>> {
  let known = tuned.get(device)
  if (known === undefined) {
    known = new Map()
    tuned.set(device, known)
  }
  const { out, untimed } = await recalled(device, program, opts, known)
  const first = untimed[0]
  if (first !== undefined && opts.time === undefined) await warmUp(device, first.p, first.sums)
  for (const [done, { p, sums, knownAs, kept }] of untimed.entries()) {
    opts.progress?.(done, untimed.length)
    const { choice, measured } = await tuneOne(device, p, sums, opts)
    // pickTile's guess, where the device refused every timing (lost meanwhile, or out of
    // memory), serves this plan but is not kept for later runs as if it were measured.
    if (measured) await keep(opts.memory, kept, choice)
    known.set(knownAs, choice)
    out.set(productKey(p), choice)
  }
  if (untimed.length > 0) opts.progress?.(untimed.length, untimed.length)
  return out
}

/** The fastest choice for `p`, and whether any timing of it was a measure (not a refusal). */
async function tuneOne(
  device: GPUDevice,
  p: ProductDims,
  sums: ProductOperand | null,
  opts: TuneOptions,
): Promise<{ choice: ProductChoice; measured: boolean }> {
  const given = opts.time
  const candidates =
    given === undefined ? new CandidateTimer(device, p, sums, opts.seconds ?? 0.002) : null
  let measured = false
  const time = async (c: ProductChoice): Promise<number> => {
    const s = await (candidates?.time(c) ?? given?.(p, c, sums) ?? Infinity)
    measured ||= Number.isFinite(s)
    return s
  }
  try {
    return { choice: await fastestChoice(p, time, opts.tiles, candidates?.ahead), measured }
  } finally {
    candidates?.dispose()
  }
}

/** Seconds the device is kept busy before the first timing (warmUp). */
const WARM_SECONDS = 0.3

/**
 * Keeps the device busy with `p` for about WARM_SECONDS: a GPU left idle runs at low clocks
 * until work has run a while, and the first tiles timed would look slow for it. timeProduct's
 * own bursts do the work (its doubling and three bursts take about five times its `seconds`).
 */
async function warmUp(
  device: GPUDevice,
  p: ProductDims,
  sums: ProductOperand | null,
): Promise<void> {
  const choice = { tile: pickTile(p.M, p.N), parts: 1 }
  await timeProduct(device, p, choice, WARM_SECONDS / 5, sums)
}

/**
 * The choices for the large products of `program` that the device (`known`) or the memory
 * already has, and the products to time: timed after the rest, so that the count `progress`
 * hears is of timings only.
 */
async function recalled(
  device: GPUDevice,
  program: Program,
  opts: TuneOptions,
  known: Map<string, ProductChoice>,
): Promise<{ out: Map<string, ProductChoice>; untimed: Untimed[] }> {
  const out = new Map<string, ProductChoice>()
  const untimed: Untimed[] = []
  const summed = summedProducts(program)
  for (const p of productsOf(program, opts.from)) {
    const key = productKey(p)
    const sums = summed.get(key) ?? null
    const knownAs = `${key}${sums === null ? '' : `:sums(${sums})`}`
    const kept = opts.memory ? memoryKey(device, knownAs) : null
    const choice = known.get(knownAs) ?? (await recall(opts.memory, kept, p, device))
    if (choice === null) {
      untimed.push({ p, sums, knownAs, kept })
      continue
    }
    known.set(knownAs, choice)
    out.set(key, choice)
  }
  return { out, untimed }
}

/** The choice `memory` keeps under `key` where it is one `p` can take on `device`, else null. */
async function recall(
  memory: TuneMemory | null | undefined,
  key: string | null,
  p: ProductDims,
  device: GPUDevice,
): Promise<ProductChoice | null> {
  if (!memory || key === null) return null
  // A memory may also throw at once (IndexedDB refused in this context): the same as failing.
  const value = await Promise.resolve()
    .then(() => memory.read(key))
    .catch((err: unknown) => {
      console.warn(`webgpu: the tuner's kept choices could not be read: ${String(err)}`)
      return null
    })
  const choice = keptAs(value)
  if (choice === null || !deviceHolds(device, choice.tile)) return null
  if (choice.parts === 1) return choice
  return splitChoices(p, choice.tile).some((c) => c.parts === choice.parts) ? choice : null
}

/** `choice` kept under `key`; a memory that fails costs the next run a timing, nothing more. */
async function keep(
  memory: TuneMemory | null | undefined,
  key: string | null,
  choice: ProductChoice,
): Promise<void> {
  const value = keptChoice(choice)
  if (!memory || key === null || value === null) return
  await Promise.resolve()
    .then(() => memory.write(key, value))
    .catch((err: unknown) => {
      console.warn(`webgpu: the tuner's choice could not be kept: ${String(err)}`)
    })
}

/** Workgroups that run `p` with `choice`. */
export function workgroupsOf(p: ProductDims, choice: ProductChoice): number {
  return Math.ceil(p.M / choice.tile.bm) * Math.ceil(p.N / choice.tile.bn) * choice.parts
}

/** Invocations, in all its workgroups, that run `p` with `choice`. */
export const invocationsOf = (p: ProductDims, choice: ProductChoice): number =>
  workgroupsOf(p, choice) * threads(choice.tile)

/**
 * The fastest way to run `p` by `time` (seconds a run) with `tiles` (default TILES): every tile
 * whole; each tile with fewer workgroups or invocations than the fastest of those, at the first
 * split that gives it as many of both; then every split of the two fastest tiles so far.
 * pickTile's tile, whole, where the device refused them all. bench/tiles.ts passes its own
 * timer, to print what the tuner weighed. `ahead` hears each stage's choices before they are
 * timed, so a timer can make them beforehand (CandidateTimer).
 */
export async function fastestChoice(
  p: ProductDims,
  time: (c: ProductChoice) => Promise<number>,
  tiles?: readonly MatmulTile[],
  ahead?: (choices: readonly ProductChoice[]) => void,
): Promise<ProductChoice> {
  const timed: { choice: ProductChoice; s: number }[] = []
  /** The choices, once each, that are not timed yet. */
  const fresh = (choices: readonly ProductChoice[]): ProductChoice[] => {
    const seen = new Set(timed.map((t) => choiceKey(t.choice)))
    const todo: ProductChoice[] = []
    for (const c of choices) {
      const key = choiceKey(c)
      if (seen.has(key)) continue
      seen.add(key)
      todo.push(c)
    }
    return todo
  }
  /** Times the choices not yet timed, telling `ahead` of them all first. */
  const stage = async (choices: readonly ProductChoice[]): Promise<void> => {
    const todo = fresh(choices)
    ahead?.(todo)
    for (const choice of todo) timed.push({ choice, s: await time(choice) })
  }
  const ranked = () => [...timed].sort((x, y) => x.s - y.s)
  const wholes = wholeChoices(tiles)
  await stage(wholes)
  const fastest = ranked()[0]?.choice ?? { tile: pickTile(p.M, p.N), parts: 1 }
  const short = (c: ProductChoice): boolean =>
    workgroupsOf(p, c) < workgroupsOf(p, fastest) || invocationsOf(p, c) < invocationsOf(p, fastest)
  await stage(
    wholes.filter(short).flatMap((whole) => {
      const splits = splitChoices(p, whole.tile)
      const split = splits.find((c) => !short(c)) ?? splits.at(-1)
      return split === undefined ? [] : [split]
    }),
  )
  const best = [...new Set(ranked().map((t) => t.choice.tile))].slice(0, SPLIT_BEST)
  await stage(best.flatMap((tile) => splitChoices(p, tile)))
  return fastestOf(ranked()[0], p)
}

/** The timed choice, or pickTile's tile, whole, where the device refused every one. */
function fastestOf(
  fastest: { choice: ProductChoice; s: number } | undefined,
  p: ProductDims,
): ProductChoice {
  return fastest !== undefined && Number.isFinite(fastest.s)
    ? fastest.choice
    : { tile: pickTile(p.M, p.N), parts: 1 }
}

/**
 * `p` alone as a program: inputs a and b (laid out as its transposes say), output y; with
 * `sums`, also that operand summed over the depth, output s (a bias gradient beside its weight
 * gradient). Each output updates a state, so every step of a submission makes it, straight into
 * the state's buffer (a step makes a mere report only when it is a submission's last:
 * runtime.ts).
 */
export function productProgram(p: ProductDims, sums: ProductOperand | null = null): Program {
  const b = new ProgramBuilder()
  const a = b.input('a', p.tA ? [p.K, p.M] : [p.M, p.K])
  const bb = b.input('b', p.tB ? [p.N, p.K] : [p.K, p.N])
  b.state('c', [p.M, p.N])
  b.output('y', b.matmul(a, bb, { transposeA: p.tA, transposeB: p.tB }), 'c')
  if (sums === 'a') {
    b.state('t', [p.M])
    b.output('s', b.sum(a, [p.tA ? 0 : 1]), 't')
  } else if (sums === 'b') {
    b.state('t', [p.N])
    b.output('s', b.sum(bb, [p.tB ? 1 : 0]), 't')
  }
  return b.build()
}

/** Whether `device` can run `tile` (its workgroup memory among the rest). */
export const deviceHolds = (device: GPUDevice, tile: MatmulTile): boolean =>
  tileProblem(tile, device.limits.maxComputeWorkgroupStorageSize) === null

/** `p` with `choice` as an executable of its own (productProgram), or null where refused. */
async function productExecutable(
  device: GPUDevice,
  p: ProductDims,
  choice: ProductChoice,
  sums: ProductOperand | null,
): Promise<WebGpuExecutable | null> {
  if (!deviceHolds(device, choice.tile)) return null
  const products = new Map([[productKey(p), choice]])
  const options = { tiledMatmul: true, wholeStep: false, products }
  const program = compile(productProgram(p, sums))
  return createWebGpuExecutable(program, device, options).catch(() => null)
}

/**
 * Seconds one step of `exe` takes: the fastest of three bursts of about `seconds` each, after
 * bursts doubling up to that length.
 */
async function timeSteps(exe: WebGpuExecutable, seconds: number): Promise<number> {
  const burst = async (n: number): Promise<number> => {
    const t = performance.now()
    exe.steps(n)
    await exe.done()
    return (performance.now() - t) / 1000
  }
  let n = 1
  while ((await burst(n)) < seconds && n < 1 << 16) n *= 2
  const runs = [await burst(n), await burst(n), await burst(n)]
  return Math.min(...runs) / n
}

/**
 * Seconds one run of `p` takes with `choice`, with its operand `sums` summed over the depth
 * beside it (productProgram): timeSteps's measure, or Infinity where the device refuses it.
 */
export async function timeProduct(
  device: GPUDevice,
  p: ProductDims,
  choice: ProductChoice,
  seconds: number,
  sums: ProductOperand | null = null,
): Promise<number> {
  const exe = await productExecutable(device, p, choice, sums)
  if (exe === null) return Infinity
  try {
    return await timeSteps(exe, seconds)
  } finally {
    exe.dispose()
  }
}

/** Candidates made ahead of their timing, at most (their buffers held at once). */
const AHEAD = 4

/**
 * timeProduct for the choices of one product, each made a few at a time before its timing:
 * their pipelines compile together, and the timings then follow one another with no compile
 * between them, when an idle card would let its clock fall.
 */
class CandidateTimer {
  private pending: ProductChoice[] = []
  private readonly made = new Map<string, Promise<WebGpuExecutable | null>>()

  constructor(
    private readonly device: GPUDevice,
    private readonly p: ProductDims,
    private readonly sums: ProductOperand | null,
    private readonly seconds: number,
  ) {}

  /** Choices about to be timed, in order (fastestChoice's `ahead`). */
  readonly ahead = (choices: readonly ProductChoice[]): void => {
    this.pending.push(...choices)
  }

  readonly time = async (choice: ProductChoice): Promise<number> => {
    const key = choiceKey(choice)
    if (!this.made.has(key)) {
      const others = this.pending.filter(
        (c) => !this.made.has(choiceKey(c)) && choiceKey(c) !== key,
      )
      const group = [choice, ...others.slice(0, AHEAD - 1)]
      for (const c of group) {
        this.made.set(choiceKey(c), productExecutable(this.device, this.p, c, this.sums))
      }
      // All made before any is timed: no compile runs beside a timing.
      await Promise.all(group.map((c) => this.made.get(choiceKey(c))))
    }
    this.pending = this.pending.filter((c) => choiceKey(c) !== key)
    const exe = await this.made.get(key)
    this.made.delete(key)
    if (exe === null || exe === undefined) return Infinity
    try {
      return await timeSteps(exe, this.seconds)
    } finally {
      exe.dispose()
    }
  }

  /** Frees what was made and not timed. */
  dispose(): void {
    for (const made of this.made.values()) void made.then((exe) => exe?.dispose())
    this.made.clear()
  }
}

const choiceKey = (c: ProductChoice): string => `${tileSpec(c.tile)}/${c.parts}`
