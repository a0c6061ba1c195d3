// `npm run bench:tiles`: each tiled-matmul block (engine/backends/webgpu/tiled.ts) timed on every
// matrix product of the bench's training steps, in Node on Dawn (the `webgpu` package), whole
// and with the depth split (split-products.ts), by the tuner's own timing (tune.ts). Prints
// GFLOP/s per product and tile, the fastest split, the tuner's choice, what pickTile takes
// without it, and the largest difference of any choice's result from the CPU backend's
// (relative to the result's largest magnitude), so a driver that miscompiles a tile shows here.
// A product whose operand the step sums over the depth (+Σa, +Σb: a weight gradient beside its
// bias gradient) is timed and checked with that sum, as the tuner times it.
// Options: --shapes=0,1 (indices into SHAPES, default the largest); --ms=50 (burst length);
// --sweep (below); --peak-tflops=N (the card's fp32 peak, for the sweep's summary).
//
// --sweep looks past TILES, for choosing them: the 112 tiles of tile-grid.ts (blocks of 32 to
// 128, depths 8 to 32, 4 or 8 rows and columns an invocation, with and without prefetching, and
// TILES' double-buffered ones), each timed whole and split in the two fewest parts that give
// it 2¹⁷ invocations (about 32 warps on each of an H100's 132 multiprocessors) where it has
// fewer. It prints each product's five fastest choices, checked against the CPU, then the
// products' time in all with the best of TILES and with the best of the grid, and the few tiles
// that come closest to the grid's best together, added one at a time: TILES' candidates.

import { installDawn } from '../engine/backends/webgpu/dawn-node'
import type { ProductOperand } from '../engine/backends/webgpu/anchor'
import { summedProducts } from '../engine/backends/webgpu/column-sums'
import { invocationsOf, productProgram } from '../engine/backends/webgpu/tune'
import { tileSpec } from '../engine/backends/webgpu/tiled'
import { tileGrid } from './tile-grid'
import type { MatmulTile, ProductChoice, ProductDims, TileName } from '../engine/backends/webgpu'
import {
  TILES,
  createWebGpuExecutable,
  deviceHolds,
  fastestChoice,
  pickTile,
  probeAdapter,
  productKey,
  productsOf,
  requestDevice,
  splitChoices,
  timeProduct,
} from '../engine/backends/webgpu'
import { createCpuExecutable } from '../engine/backends/cpu'
import { compile } from '../engine/passes'
import { planModel } from '../engine/train/model'
import { engineGraph } from './engine-graph'
import { pad } from './format'
import { SHAPES } from './shapes'

/** A product, and its operand the step sums over the depth beside it (or null). */
type Product = ProductDims & { readonly sums: ProductOperand | null }

const label = (p: Product): string =>
  `${p.M}×${p.K}${p.tA ? 'ᵀ' : ''} · ${p.K}×${p.N}${p.tB ? 'ᵀ' : ''}` +
  (p.sums === null ? '' : ` +Σ${p.sums}`)

function option(name: string): string | null {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
  return arg === undefined ? null : (arg.split('=')[1] ?? '')
}

/** The distinct 2-D products of a bench shape's training step, as its plan has them. */
function stepProducts(shapeIndex: number): Product[] {
  const shape = SHAPES[shapeIndex]
  if (shape === undefined) throw new Error(`no bench shape ${shapeIndex}`)
  const { graph, settings } = engineGraph(shape)
  const { program } = planModel(graph, settings).plan
  const summed = summedProducts(program)
  return productsOf(program, 0).map((p) => ({ ...p, sums: summed.get(productKey(p)) ?? null }))
}

/** The product's program, its operands, and the CPU backend's results (y, and s with a sum). */
function reference(p: Product) {
  const plan = compile(productProgram(p, p.sums))
  const feeds = {
    a: Float32Array.from({ length: p.M * p.K }, (_, i) => Math.sin(i)),
    b: Float32Array.from({ length: p.K * p.N }, (_, i) => Math.cos(i)),
  }
  const cpu = createCpuExecutable(plan)
  cpu.step(feeds)
  const want = new Map(outputsOf(p).map((name) => [name, Float32Array.from(cpu.view(name))]))
  return { plan, feeds, want }
}

const outputsOf = (p: Product): string[] => (p.sums === null ? ['y'] : ['y', 's'])

/** Largest |got − want| over the largest |want|. */
function error(got: Float32Array, want: Float32Array): number {
  let [worst, scale] = [0, 1e-30]
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)) || 0)
    if (Number.isNaN(got[i])) worst = Infinity
    scale = Math.max(scale, Math.abs(want[i] ?? 0))
  }
  return got.length === want.length ? worst / scale : Infinity
}

/** `choice`'s result for `p` against the CPU's. */
async function check(
  device: GPUDevice,
  p: Product,
  ref: ReturnType<typeof reference>,
  choice: ProductChoice,
): Promise<number> {
  const products = new Map([[productKey(p), choice]])
  const exe = await createWebGpuExecutable(ref.plan, device, { wholeStep: false, products })
  try {
    exe.step(ref.feeds)
    let worst = 0
    for (const [name, want] of ref.want) worst = Math.max(worst, error(await exe.read(name), want))
    return worst
  } finally {
    exe.dispose()
  }
}

const nameOf = (c: ProductChoice): string =>
  `${(Object.keys(TILES) as TileName[]).find((n) => TILES[n] === c.tile) ?? '?'}` +
  (c.parts > 1 ? `/${c.parts}` : '')

const names = Object.keys(TILES) as TileName[]
const widths = [32, ...names.map((n) => Math.max(8, n.length + 2)), 16, 11, 8, 9]

/**
 * One product's line: each whole tile's rate, the fastest split of any tile, and the tuner's
 * choice from the same timings (each choice timed once).
 */
async function row(device: GPUDevice, p: Product, seconds: number): Promise<string> {
  const gflops = (sec: number): number => (2 * p.M * p.N * p.K) / sec / 1e9
  const timed = new Map<string, number>()
  const time = async (c: ProductChoice): Promise<number> => {
    const s = timed.get(nameOf(c)) ?? (await timeProduct(device, p, c, seconds, p.sums))
    timed.set(nameOf(c), s)
    return s
  }
  const chosen = await fastestChoice(p, time)
  // A tile the device cannot hold (more workgroup memory than it offers) shows as '-'.
  const held = names.filter((n) => deviceHolds(device, TILES[n]))
  const whole = held.map((n) => ({ tile: TILES[n], parts: 1 }))
  const rates = new Map<TileName, number>()
  for (const n of held) rates.set(n, gflops(await time({ tile: TILES[n], parts: 1 })))
  let best = { name: '-', rate: 0 }
  for (const c of held.flatMap((n) => splitChoices(p, TILES[n]))) {
    const rate = gflops(await time(c))
    if (rate > best.rate) best = { name: nameOf(c), rate }
  }
  const ref = reference(p)
  let worst = 0
  for (const c of [...whole, chosen]) worst = Math.max(worst, await check(device, p, ref, c))
  const split = best.rate > 0 ? `${best.name} ${best.rate.toPrecision(3)}` : '-'
  const tuner = nameOf(chosen)
  const picked = nameOf({ tile: pickTile(p.M, p.N), parts: 1 })
  const cells = names.map((n) => rates.get(n)?.toPrecision(3) ?? '-')
  return pad([label(p), ...cells, split, tuner, picked, worst.toExponential(1)], widths)
}

/** A tile by its name in TILES, else by its sizes as the kernels' keys (and --profile) name them. */
function tileName(t: MatmulTile): string {
  const spec = tileSpec(t)
  return names.find((n) => tileSpec(TILES[n]) === spec) ?? spec
}

const FILL = 1 << 17

/** `tile` whole, and where it has fewer than FILL invocations, its two fewest splits that give as many. */
function sweepChoices(p: ProductDims, tile: MatmulTile): ProductChoice[] {
  const whole = { tile, parts: 1 }
  if (invocationsOf(p, whole) >= FILL) return [whole]
  const splits = splitChoices(p, tile)
  const from = splits.findIndex((c) => invocationsOf(p, c) >= FILL)
  // None fills: the largest split there is.
  return [whole, ...(from < 0 ? splits.slice(-1) : splits.slice(from, from + 2))]
}

interface Timed {
  readonly choice: ProductChoice
  readonly s: number
}

/** The grid's tiles on each product; prints the fastest, the totals and TILES' candidates. */
async function sweep(device: GPUDevice, products: Product[], seconds: number): Promise<void> {
  const grid = tileGrid()
  const peak = Number(option('peak-tflops') ?? NaN) * 1e12
  console.log(`sweep: ${grid.length} tiles, each whole and split to ${FILL} invocations`)
  const all: Timed[][] = []
  for (const p of products) {
    const timed: Timed[] = []
    for (const tile of grid) {
      for (const choice of sweepChoices(p, tile)) {
        timed.push({ choice, s: await timeProduct(device, p, choice, seconds, p.sums) })
      }
    }
    timed.sort((x, y) => x.s - y.s)
    all.push(timed)
    const ref = reference(p)
    const top = timed.slice(0, 5)
    const errors = await Promise.all(top.map((t) => check(device, p, ref, t.choice)))
    const gflops = (t: Timed): string => ((2 * p.M * p.N * p.K) / t.s / 1e9).toPrecision(3)
    const cells = top.map(
      (t, i) =>
        `${tileName(t.choice.tile)}${t.choice.parts > 1 ? `/${t.choice.parts}` : ''} ${gflops(t)} (±${(errors[i] ?? NaN).toExponential(0)})`,
    )
    console.log(`${label(p)}: ${cells.join(', ')}`)
  }
  const flops = products.reduce((n, p) => n + 2 * p.M * p.N * p.K, 0)
  const total = (allowed: (t: MatmulTile) => boolean): number =>
    all.reduce((sum, timed) => sum + (timed.find((t) => allowed(t.choice.tile))?.s ?? Infinity), 0)
  const say = (what: string, s: number): void => {
    const share = Number.isFinite(peak)
      ? `, ${((100 * flops) / s / peak).toFixed(1)} % of the peak`
      : ''
    const tflops = (flops / s / 1e12).toPrecision(3)
    console.log(`${what}: ${(s * 1e3).toFixed(3)} ms, ${tflops} TFLOP/s${share}`)
  }
  const inTiles = new Set(names.map((n) => tileName(TILES[n])))
  say(
    'products with the best of TILES',
    total((t) => inTiles.has(tileName(t))),
  )
  const gridBest = total(() => true)
  say('products with the best of the grid', gridBest)
  // Greedily, the tile that takes the most off the products' time with those chosen before it,
  // until they come within 1 % of the grid's best.
  const chosen = new Set<string>()
  for (let k = 0; k < 6; k++) {
    let best: { name: string; s: number } | null = null
    for (const tile of grid) {
      const name = tileName(tile)
      if (chosen.has(name)) continue
      const s = total((t) => chosen.has(tileName(t)) || tileName(t) === name)
      if (best === null || s < best.s) best = { name, s }
    }
    if (best === null) break
    chosen.add(best.name)
    say(`  with ${[...chosen].join(', ')}`, best.s)
    if (best.s <= gridBest * 1.01) break
  }
}

async function main(): Promise<void> {
  await installDawn()
  const probe = await probeAdapter()
  if (!probe.ok) throw new Error(`no WebGPU adapter: ${probe.reason}`)
  const device = await requestDevice(probe.adapter)
  const shapes = (option('shapes') ?? String(SHAPES.length - 1)).split(',').map(Number)
  const seconds = Number(option('ms') ?? 50) / 1000
  if (process.argv.includes('--sweep')) {
    await sweep(device, shapes.flatMap(stepProducts), seconds)
    device.destroy()
    return
  }
  console.log(`Tiled matmuls, GFLOP/s (adapter: ${probe.name}); the fastest of three bursts`)
  console.log("whole with each tile, then the fastest split of each product's depth (tile/parts)")
  console.log(pad(['product', ...names, 'split', 'tuner', 'picked', 'error'], widths))
  for (const s of shapes) {
    for (const p of stepProducts(s)) console.log(await row(device, p, seconds))
  }
  device.destroy()
}

await main()
process.exit(0)
