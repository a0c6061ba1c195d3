// A register-blocked product without workgroup memory: each invocation owns a 4×4 block of an
// M×N result and walks the depth K, loading 4 values of A and 4 of B for 16 multiply-adds. The
// direct matmul and all three convolutions (implicit GEMMs: the im2col matrix is read where it
// would be, never made) are instances; they supply the loads.
//
// Two shapes. Spread: invocations own different blocks (rows spaced by the workgroup's height,
// columns by its width, so neighbours read neighbouring columns). Split: when the result is
// small and the depth long (a convolution's weight gradient), a workgroup's 64 invocations share
// one block, each walks a slice of the depth, and the partial sums meet in workgroup memory.
// The depth may be several axes (image, row, column): an odometer steps them without division.

import type { AnchorCode } from './anchor'
import type { Uniform } from './program'
import { u32 } from './program'

/** Outputs per invocation along each edge. */
export const R = 4
const SPLIT = 64
/** Workgroups that keep a few cores busy (SwiftShader runs one per core). */
const MIN_GROUPS = 4
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** One axis of the depth: an i32 variable and its size (a WGSL i32 expression). */
export interface DepthAxis {
  readonly name: string
  readonly size: string
}

export interface BlockedSpec {
  readonly key: string
  readonly M: number
  readonly N: number
  readonly K: number
  /** Independent products, one per workgroup_id.z (batch entries, images). */
  readonly batch: number
  readonly uniforms: readonly Uniform[]
  /** Axes of the depth, outermost first (their sizes multiply to K); none: just `k`. */
  readonly depth: readonly DepthAxis[]
  /** Statements run once, after `b` (batch index), `mr0…` (rows) and `nc0…` (columns). */
  readonly setup: string
  /** Statements at the top of each depth step (`k` and the depth axes are set). */
  readonly step: string
  /** Expression for A(mr_r, k). */
  readonly a: (r: number) => string
  /** Statements that set `b_c` (declared `var b_c = 0.0;`) to B(k, nc_c). */
  readonly b: (c: number) => string
  /** Flat output index of result (m, n), given WGSL names for m and n. */
  readonly out: (m: string, n: string) => string
}

/** Spread invocations along rows (y) and columns (x): thin results get thin workgroups. */
function spreadShape(M: number, N: number): [number, number] {
  if (M <= 8) return [32, 2]
  if (N <= 8) return [2, 32]
  if (M <= 16) return [16, 4]
  if (N <= 16) return [4, 16]
  return [8, 8]
}

/** Spread over fewer workgroups than cores, with a long depth: split the depth instead. */
function splits(s: BlockedSpec): boolean {
  const [sx, sy] = spreadShape(s.M, s.N)
  const groups = Math.ceil(s.N / (sx * R)) * Math.ceil(s.M / (sy * R)) * s.batch
  return groups < MIN_GROUPS && s.K >= 16 * SPLIT
}

export function blocked(s: BlockedSpec): AnchorCode {
  return splits(s) ? split(s) : spread(s)
}

const cells = range(R).flatMap((r) => range(R).map((c) => [r, c] as const))

/** The depth loop from k = start to end: loads, 16 multiply-adds, odometer step. */
function depthLoop(s: BlockedSpec, start: string, end: string): string {
  const init = ['var krem = i32(start);']
  for (let d = s.depth.length - 1; d >= 0; d--) {
    const { name, size } = s.depth[d] ?? { name: '', size: '1' }
    init.push(d === 0 ? `var ${name} = krem;` : `var ${name} = krem % (${size});`)
    if (d > 0) init.push(`krem = krem / (${size});`)
  }
  // Innermost axis steps; at its size it wraps and carries into the next one out.
  let advance = ''
  s.depth.forEach(({ name, size }, d) => {
    const step = `${name} = ${name} + 1;`
    advance = d === 0 ? step : `${step}\n    if (${name} == ${size}) { ${name} = 0; ${advance} }`
  })
  const loads = [
    ...range(R).map((r) => `let a${r} = ${s.a(r)};`),
    ...range(R).map((c) => `var b${c} = 0.0;\n    ${s.b(c)}`),
  ]
  const fma = cells.map(([r, c]) => `acc${r}_${c} = acc${r}_${c} + a${r} * b${c};`)
  return `let start = ${start};
  ${s.depth.length > 0 ? init.join('\n  ') : ''}
  ${cells.map(([r, c]) => `var acc${r}_${c} = 0.0;`).join('\n  ')}
  for (var k = start; k < ${end}; k = k + 1u) {
    ${s.step}
    ${[...loads, ...fma].join('\n    ')}
    ${advance}
  }`
}

function spread(s: BlockedSpec): AnchorCode {
  const [sx, sy] = spreadShape(s.M, s.N)
  const rows = range(R).map((r) => `let mr${r} = min(m0 + lid.y + ${sy * r}u, u.M - 1u);`)
  const cols = range(R).map((c) => `let nc${c} = min(n0 + lid.x + ${sx * c}u, u.N - 1u);`)
  const store = cells.map(([r, c]) => {
    const [m, n] = [`(m0 + lid.y + ${sy * r}u)`, `(n0 + lid.x + ${sx * c}u)`]
    return `if (${m} < u.M && ${n} < u.N) { emit(${s.out(m, n)}, acc${r}_${c}); }`
  })
  // An invocation whose first row or column is outside the result has nothing to store (no
  // barrier follows, so it may leave): small results waste no depth loops.
  const main = `let b = wid.z;
  let m0 = wid.y * ${sy * R}u;
  let n0 = wid.x * ${sx * R}u;
  if (m0 + lid.y >= u.M || n0 + lid.x >= u.N) { return; }
  ${[...rows, ...cols].join('\n  ')}
  ${s.setup}
  ${depthLoop(s, '0u', 'u.K')}
  ${store.join('\n  ')}`
  return {
    ...common(s, `spread${sx}x${sy}`),
    main,
    workgroupSize: [sx, sy, 1],
    workgroups: [Math.ceil(s.N / (sx * R)), Math.ceil(s.M / (sy * R)), s.batch],
  }
}

function split(s: BlockedSpec): AnchorCode {
  const rows = range(R).map((r) => `let mr${r} = min(m0 + ${r}u, u.M - 1u);`)
  const cols = range(R).map((c) => `let nc${c} = min(n0 + ${c}u, u.N - 1u);`)
  const park = cells.map(([r, c]) => `part[lidx * 16u + ${r * R + c}u] = acc${r}_${c};`)
  const main = `let b = wid.z;
  let m0 = wid.y * ${R}u;
  let n0 = wid.x * ${R}u;
  ${[...rows, ...cols].join('\n  ')}
  ${s.setup}
  let chunk = (u.K + ${SPLIT - 1}u) / ${SPLIT}u;
  ${depthLoop(s, 'min(lidx * chunk, u.K)', 'min(start + chunk, u.K)')}
  ${park.join('\n  ')}
  workgroupBarrier();
  for (var w = ${SPLIT / 2}u; w > 0u; w = w / 2u) {
    if (lidx < w) {
      for (var j = 0u; j < 16u; j = j + 1u) {
        part[lidx * 16u + j] = part[lidx * 16u + j] + part[(lidx + w) * 16u + j];
      }
    }
    workgroupBarrier();
  }
  if (lidx < 16u && m0 + lidx / ${R}u < u.M && n0 + lidx % ${R}u < u.N) {
    emit(${s.out(`(m0 + lidx / ${R}u)`, `(n0 + lidx % ${R}u)`)}, part[lidx]);
  }`
  return {
    ...common(s, 'split'),
    decls: `var<workgroup> part: array<f32, ${SPLIT * R * R}>;`,
    main,
    workgroupSize: [SPLIT, 1, 1],
    workgroups: [Math.ceil(s.N / R), Math.ceil(s.M / R), s.batch],
  }
}

function common(
  s: BlockedSpec,
  how: string,
): Omit<AnchorCode, 'main' | 'workgroups' | 'workgroupSize'> {
  return {
    key: `blocked(${s.key}):${how}`,
    uniforms: [u32('M', s.M), u32('N', s.N), u32('K', s.K), ...s.uniforms],
    lib: [],
    decls: '',
    fusable: true,
  }
}
