// Matmuls through workgroup-memory tiles, for real GPUs. A workgroup computes a bm×bn block of C,
// stepping through the depth bk at a time: each step copies a bk-deep slice of A and of B into
// workgroup memory, both stored depth-major (transposed on the way in where the operand's
// contiguous axis is the depth), and each invocation accumulates a tm×tn block of C from vec4
// reads of those slices. An invocation's rows come in groups of 4 spaced by the number of
// invocations down a column (its columns likewise), so neighbouring invocations read
// neighbouring vec4s and write neighbouring floats. Global loads run along each operand's
// contiguous axis, so neighbouring invocations read neighbouring floats. A prefetching tile
// reads the next slices into registers while it multiplies; a double-buffered one also stores
// them beside the current ones, so each step of the depth waits at one barrier instead of two.
// With `sums` (column-sums.ts), one operand's slices are also added up over the depth as they
// pass, by the workgroups of the first block column (A's: each row's sum) or row (B's: each
// column's), in the invocations of the first column or row of the block, which read every
// vec4 of it; each sum goes to emit_sum: a bias gradient, made by the weight gradient's kernel.

import type { AnchorCode, ProductOperand } from './anchor'
import type { Uniform, Workgroups } from './program'
import { u32 } from './program'
import type { WideProduct } from './wide'

/**
 * Block of C a workgroup computes (bm×bn), depth per step (bk), block per invocation (tm×tn);
 * prefetch: the next slices are read into registers while the current ones are multiplied;
 * 'double' does that too, and keeps two slices of each operand in workgroup memory: the next
 * is stored beside the one being multiplied, so a step waits at one barrier, not two.
 */
export interface MatmulTile {
  readonly bm: number
  readonly bn: number
  readonly bk: number
  readonly tm: number
  readonly tn: number
  readonly prefetch?: boolean | 'double'
}

/**
 * The tiles the picker and the tuner (tune.ts) choose from. On an H100 (Dawn, Vulkan;
 * bench/tiles.ts, the products of the 1024-2048-2048-1024 step at batch 256) `square` led on 7
 * of 8 products, at 8–23 TFLOP/s; 8×8 blocks per invocation were slower on every one as whole
 * products (too few invocations at batch 256: 64×64 blocks of 8×8 leave an SM two warps). They
 * do twice the multiply-adds per workgroup-memory read (4×4 blocks read a float from it per two
 * multiply-adds, which caps them near half of an H100's peak), so the tuner tries them with the
 * depth split too (split-products.ts). The prefetching tiles read the next slices while
 * multiplying the current ones, so a workgroup does not wait on global memory every step, at
 * the cost of registers; `lean8` is `square8` without, so an SM may hold more invocations.
 * The double-buffered ones (…x2) are the two tiles the tuner chose on an H200 with one barrier a
 * step, not two; they need more workgroup memory than WebGPU guarantees (16 KiB), so only a
 * device that offers it (a desktop GPU's 32 KiB or more) runs them. Not yet measured on a GPU.
 */
export const TILES = {
  small: { bm: 32, bn: 32, bk: 32, tm: 4, tn: 4 },
  wide: { bm: 32, bn: 64, bk: 16, tm: 4, tn: 4 },
  square: { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
  prefetched: { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4, prefetch: true },
  square8: { bm: 64, bn: 64, bk: 16, tm: 8, tn: 8, prefetch: true },
  lean8: { bm: 64, bn: 64, bk: 16, tm: 8, tn: 8 },
  tall8: { bm: 128, bn: 64, bk: 16, tm: 8, tn: 8, prefetch: true },
  large8: { bm: 128, bn: 128, bk: 8, tm: 8, tn: 8, prefetch: true },
  tall8x2: { bm: 128, bn: 64, bk: 16, tm: 8, tn: 8, prefetch: 'double' },
  large8x2: { bm: 128, bn: 128, bk: 8, tm: 8, tn: 8, prefetch: 'double' },
} as const satisfies Record<string, MatmulTile>

export type TileName = keyof typeof TILES

/** The tile for an M×N result: the largest block that the result fills. */
export function pickTile(M: number, N: number): MatmulTile {
  if (M >= 64 && N >= 64) return TILES.square
  if (M >= 32 && N >= 64) return TILES.wide
  return TILES.small
}

/** A tile's sizes as its kernels' keys name it: bm x bn x bk / tm x tn, :prefetch, :double. */
export const tileSpec = (t: MatmulTile): string => {
  const staging = t.prefetch === true ? ':prefetch' : t.prefetch === 'double' ? ':double' : ''
  return `${t.bm}x${t.bn}x${t.bk}/${t.tm}x${t.tn}${staging}`
}

/** Workgroup memory every WebGPU device offers a kernel; a device may offer more. */
export const GUARANTEED_WORKGROUP_BYTES = 16384

/** Invocations in a workgroup of tile `t`. */
export const threads = (t: MatmulTile): number => (t.bm / t.tm) * (t.bn / t.tn)

/**
 * Why `t` cannot be a tile (sizes that do not divide, too many invocations, more workgroup
 * memory than the device's `workgroupLimit` bytes), or null.
 */
export function tileProblem(
  t: MatmulTile,
  workgroupLimit = GUARANTEED_WORKGROUP_BYTES,
): string | null {
  if (t.tm % 4 !== 0 || t.tn % 4 !== 0) return 'tm and tn must be multiples of 4'
  if (t.bm % t.tm !== 0 || t.bn % t.tn !== 0) return 'bm and bn must be multiples of tm and tn'
  const n = threads(t)
  if (n > 256) return `${n} invocations per workgroup (WebGPU guarantees 256)`
  if ((t.bm * t.bk) % (4 * n) !== 0 || (t.bn * t.bk) % (4 * n) !== 0)
    return 'a slice must split evenly over the invocations'
  const bytes = workgroupBytes(t)
  if (bytes > workgroupLimit) {
    return `${bytes} bytes of workgroup memory (the device offers ${workgroupLimit})`
  }
  return null
}

/** Each slice's depth rows are padded by one vec4, so stores down the depth spread over banks. */
const rowVec4s = (edge: number): number => edge / 4 + 1
const sliceVec4s = (t: MatmulTile, edge: number): number => t.bk * rowVec4s(edge)
/** Slices of each operand a workgroup holds at once. */
const slices = (t: MatmulTile): number => (t.prefetch === 'double' ? 2 : 1)
const workgroupBytes = (t: MatmulTile): number =>
  16 * slices(t) * (sliceVec4s(t, t.bm) + sliceVec4s(t, t.bn))

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)
const LANES = ['x', 'y', 'z', 'w'] as const

export interface TiledProduct extends WideProduct {
  /**
   * Matrices in the batch (workgroup_id.z), and WGSL setting aoff and boff from wid.z; for a
   * split product (parts > 1), the parts: workgroup z sums the z-th K/parts of the depth.
   */
  readonly count: number
  readonly parts: number
  readonly batchRank: number
  readonly offsets: string
  readonly strides: readonly Uniform[]
}

/** How one operand's slices are read: which side of C, its layout, and its element. */
interface Slice {
  readonly name: string
  readonly into: string
  readonly edge: number
  readonly bk: number
  /** Invocations in the workgroup. */
  readonly n: number
  /** Whether the operand's contiguous axis is the depth (A not transposed, B transposed). */
  readonly depthContiguous: boolean
  readonly base: string
  readonly size: string
  readonly offset: string
  /** Element of the operand at (i along C's side, depth k0 + k). */
  readonly at: (i: string, k0: string) => string
}

/** Vec4s each invocation copies per slice. */
const perInvocation = (o: Slice): number => (o.edge / 4) * (o.bk / o.n)

/** WGSL setting q (vec4 along C's side) and k (depth) of the slice's element e. */
function place(o: Slice): string {
  const quads = o.edge / 4
  const [q, k] = o.depthContiguous
    ? [`e / ${o.bk}u`, `e % ${o.bk}u`]
    : [`e % ${quads}u`, `e / ${quads}u`]
  return `let q = ${q};\n      let k = ${k};`
}

/** WGSL reading the vec4 at (q, k) of the slice from depth `k0` into v (zero past the edges). */
function fetch(o: Slice, k0: string): string {
  const lanes = LANES.map((lane, j) => {
    const i = `q * 4u + ${j}u`
    return `if (${o.base} + ${i} < ${o.size}) { v.${lane} = ${o.name}[${o.offset} + ${o.at(i, k0)}]; }`
  })
  return `var v = vec4<f32>(0.0);
      if (${k0} + k < kend) {
        ${lanes.join('\n        ')}
      }`
}

/**
 * WGSL starting an index into a slice's workgroup memory: '' for a tile that holds one slice
 * of each operand, else where the slice numbered by WGSL `slot` (0 or 1) begins.
 */
const slotStart = (slot: string, vec4s: number): string =>
  slot === '' ? '' : `${slot} * ${vec4s}u + `

/** The vec4 at (q, k) of the operand's slice `slot` in workgroup memory. */
const store = (o: Slice, slot = ''): string =>
  `${o.into}[${slotStart(slot, o.bk * rowVec4s(o.edge))}k * ${rowVec4s(o.edge)}u + q]`

/**
 * WGSL copying one slice of an operand into workgroup memory: `edge` rows or columns of C's
 * side (bm or bn) by bk of depth, four neighbours along C's side at a time (one vec4 store, so
 * no invocation writes part of a vec4 another one writes), with the operand's contiguous axis
 * across neighbouring invocations.
 */
function loadSlice(o: Slice): string {
  return `for (var l = 0u; l < ${perInvocation(o)}u; l = l + 1u) {
      let e = l * ${o.n}u + lidx;
      ${place(o)}
      ${fetch(o, 'k0')}
      ${store(o)} = v;
    }`
}

/**
 * WGSL for each of an invocation's vec4s of a slice, unrolled: its e, q and k set, then
 * `then(l)` for the l-th.
 */
function eachVec4(o: Slice, then: (l: number) => string): string {
  return range(perInvocation(o))
    .map(
      (l) => `{
      let e = ${l * o.n}u + lidx;
      ${place(o)}
      ${then(l)}
    }`,
    )
    .join('\n    ')
}

/**
 * For prefetching tiles: the next slice's vec4s read into registers `${reg}0…` while the
 * current one is multiplied (`fetchInto`), then stored to workgroup memory (`storeFrom`).
 */
const fetchInto = (o: Slice, reg: string, k0: string): string =>
  eachVec4(o, (l) => `${fetch(o, k0)}\n      ${reg}${l} = v;`)

const storeFrom = (o: Slice, reg: string, slot = ''): string =>
  eachVec4(o, (l) => `${store(o, slot)} = ${reg}${l};`)

/** WGSL multiplying-adding the slices numbered by WGSL `slot` ('' where a tile holds one). */
type Multiply = (slot: string) => string

/**
 * WGSL of the depth loop: copy slices, barrier, multiply-add them, barrier (a double-buffered
 * tile: multiply-add one slot while copying the next slices to the other, barrier).
 */
function depthLoop(t: MatmulTile, a: Slice, b: Slice, multiply: Multiply): string {
  const { bk } = t
  const inner = (slot = ''): string => `for (var kk = 0u; kk < ${bk}u; kk = kk + 1u) {
      ${multiply(slot)}
    }`
  if (t.prefetch === undefined || t.prefetch === false) {
    return `for (var k0 = kstart; k0 < kend; k0 = k0 + ${bk}u) {
    ${loadSlice(a)}
    ${loadSlice(b)}
    workgroupBarrier();
    ${inner()}
    workgroupBarrier();
  }`
  }
  const regs = [
    ...range(perInvocation(a)).map((l) => `var pa${l} = vec4<f32>(0.0);`),
    ...range(perInvocation(b)).map((l) => `var pb${l} = vec4<f32>(0.0);`),
  ]
  const fetchNext = (k0: string): string => `${fetchInto(a, 'pa', k0)}
    ${fetchInto(b, 'pb', k0)}`
  const storeNext = (slot = ''): string => `${storeFrom(a, 'pa', slot)}
    ${storeFrom(b, 'pb', slot)}`
  if (t.prefetch === true) {
    return `${regs.join('\n  ')}
  ${fetchNext('kstart')}
  for (var k0 = kstart; k0 < kend; k0 = k0 + ${bk}u) {
    ${storeNext()}
    workgroupBarrier();
    let kn = k0 + ${bk}u;
    ${fetchNext('kn')}
    ${inner()}
    workgroupBarrier();
  }`
  }
  // Double-buffered: step s multiplies slot s % 2 while storing the next slices in the other,
  // so the barrier after it both publishes them and frees the slot it read. Slots as `% 2u`
  // let the compiler see every index in bounds (no clamp in the inner loop).
  return `${regs.join('\n  ')}
  ${fetchNext('kstart')}
  ${storeNext('0u')}
  workgroupBarrier();
  for (var k0 = kstart; k0 < kend; k0 = k0 + ${bk}u) {
    let step = (k0 - kstart) / ${bk}u;
    let cur = step % 2u;
    let nxt = (step + 1u) % 2u;
    let kn = k0 + ${bk}u;
    ${fetchNext('kn')}
    ${inner('cur')}
    ${storeNext('nxt')}
    workgroupBarrier();
  }`
}

/** The operand whose sums over the depth the kernel also makes (column-sums.ts). */
export type DepthSums = ProductOperand | null

/**
 * WGSL for an operand's sums over the depth: registers s0… (`init`), each slice's vec4s of the
 * block added in (`add`, in the loop over the slice's depth), and the sums handed to
 * emit_sum by the invocations that made them (`emit`): those of the block's first row of
 * invocations for B (one column each), of its first column for A (one row each), in the
 * workgroups of the first block row or column, which see the operand's whole depth once.
 */
function sumsOf(sums: DepthSums, t: MatmulTile): { init: string[]; add: string[]; emit: string[] } {
  if (sums === null) return { init: [], add: [], emit: [] }
  const [TX, TY] = [t.bn / t.tn, t.bm / t.tm]
  const [regs, mine, across, origin, start, size] =
    sums === 'b'
      ? [t.tn / 4, 'ty == 0u && wid.y == 0u', TX, 'tx', 'n0', 'u.N']
      : [t.tm / 4, 'tx == 0u && wid.x == 0u', TY, 'ty', 'm0', 'u.M']
  const held = range(regs)
  const stores = held.flatMap((h) =>
    LANES.map((lane, c) => {
      const at = `${start} + ${h * across * 4}u + ${origin} * 4u + ${c}u`
      return `if (${at} < ${size}) { emit_sum(${at}, s${h}.${lane}); }`
    }),
  )
  return {
    init: [`let summing = ${mine};`, ...held.map((h) => `var s${h} = vec4<f32>(0.0);`)],
    add: [`if (summing) { ${held.map((h) => `s${h} = s${h} + ${sums}${h};`).join(' ')} }`],
    emit: [`if (summing) {\n    ${stores.join('\n    ')}\n  }`],
  }
}

function body(p: TiledProduct, t: MatmulTile, sums: DepthSums): string {
  const { bm, bn, bk, tm, tn } = t
  // Invocations across a row (TX) and down a column (TY) of the block.
  const [TX, TY] = [bn / tn, bm / tm]
  const n = TX * TY
  const rows = range(tm)
  const cols = range(tn / 4)
  const zero = rows.flatMap((r) => cols.map((h) => `var c${r}_${h} = vec4<f32>(0.0);`))
  const loadA = (slot: string): string[] =>
    range(tm / 4).map(
      (g) =>
        `let a${g} = As[${slotStart(slot, sliceVec4s(t, bm))}kk * ${rowVec4s(bm)}u + ${g * TY}u + ty];`,
    )
  const loadB = (slot: string): string[] =>
    cols.map(
      (h) =>
        `let b${h} = Bs[${slotStart(slot, sliceVec4s(t, bn))}kk * ${rowVec4s(bn)}u + ${h * TX}u + tx];`,
    )
  const fma = rows.flatMap((r) =>
    cols.map((h) => `c${r}_${h} = fma(vec4<f32>(a${r >> 2}.${LANES[r & 3]}), b${h}, c${r}_${h});`),
  )
  const stores = rows.flatMap((r) => {
    const row = `m0 + ${(r >> 2) * TY * 4}u + ty * 4u + ${r & 3}u`
    return cols.flatMap((h) =>
      LANES.map((lane, c) => {
        const col = `n0 + ${h * TX * 4}u + tx * 4u + ${c}u`
        return `if (${row} < u.M && ${col} < u.N) { emit(cbase + (${row}) * u.N + ${col}, c${r}_${h}.${lane}); }`
      }),
    )
  })
  const sliceA: Slice = {
    name: p.a,
    into: 'As',
    edge: bm,
    bk,
    n,
    depthContiguous: !p.tA,
    base: 'm0',
    size: 'u.M',
    offset: 'aoff',
    at: (i, k0) => (p.tA ? `(${k0} + k) * u.M + m0 + ${i}` : `(m0 + ${i}) * u.K + ${k0} + k`),
  }
  const sliceB: Slice = {
    name: p.b,
    into: 'Bs',
    edge: bn,
    bk,
    n,
    depthContiguous: p.tB,
    base: 'n0',
    size: 'u.N',
    offset: 'boff',
    at: (i, k0) => (p.tB ? `(n0 + ${i}) * u.K + ${k0} + k` : `(${k0} + k) * u.N + n0 + ${i}`),
  }
  const [start, end] = p.parts > 1 ? ['wid.z * u.kp', 'kstart + u.kp'] : ['0u', 'u.K']
  const summed = sumsOf(sums, t)
  const multiply = (slot: string): string =>
    [...loadA(slot), ...loadB(slot), ...summed.add, ...fma].join('\n      ')
  return `let tx = lidx % ${TX}u;
  let ty = lidx / ${TX}u;
  ${p.offsets}
  let m0 = wid.y * ${bm}u;
  let n0 = wid.x * ${bn}u;
  let kstart = ${start};
  let kend = ${end};
  ${[...zero, ...summed.init].join('\n  ')}
  ${depthLoop(t, sliceA, sliceB, multiply)}
  let cbase = wid.z * u.M * u.N;
  ${[...stores, ...summed.emit].join('\n  ')}`
}

/** `p` as tile `t`'s kernel, on a device that offers `workgroupLimit` bytes of workgroup memory. */
export function tiled(
  p: TiledProduct,
  t: MatmulTile,
  sums: DepthSums = null,
  workgroupLimit = GUARANTEED_WORKGROUP_BYTES,
): AnchorCode {
  const problem = tileProblem(t, workgroupLimit)
  if (problem !== null) throw new Error(`webgpu: matmul tile ${JSON.stringify(t)}: ${problem}`)
  if (sums !== null && p.count > 1) {
    throw new Error('webgpu: only an unbatched, unsplit product sums an operand over its depth')
  }
  const { bm, bn } = t
  const form = `${p.tA ? 'T' : 'N'}${p.tB ? 'T' : 'N'}${p.parts > 1 ? ':parts' : ''}`
  const workgroups: Workgroups = [Math.ceil(p.N / bn), Math.ceil(p.M / bm), p.count]
  const part = p.parts > 1 ? [u32('kp', p.K / p.parts)] : []
  return {
    key: `matmul:tiled:${form}:${p.batchRank}:${tileSpec(t)}${sums === null ? '' : `:sums(${sums})`}`,
    uniforms: [u32('M', p.M), u32('N', p.N), u32('K', p.K), ...part, ...p.strides],
    lib: [],
    decls:
      `var<workgroup> As: array<vec4<f32>, ${slices(t) * sliceVec4s(t, bm)}>;\n` +
      `var<workgroup> Bs: array<vec4<f32>, ${slices(t) * sliceVec4s(t, bn)}>;`,
    main: body(p, t, sums),
    workgroupSize: [threads(t), 1, 1],
    workgroups,
    fusable: true,
  }
}
