// Matmuls that read their operands four floats at a time, for CPU emulations of a GPU
// (SwiftShader), where each storage load pays for a bounds check and a gather: every invocation
// owns an 8×8 block of the result and loads vec4s along whichever axis of each operand is
// contiguous. Measured on SwiftShader with two cores (1024-2048-2048 products): A·Bᵀ 7.6, A·B
// 7.0 and Aᵀ·B 6.0 GFLOP/s, against 2.7–2.9 for blocked.ts's 4×4 scalar blocks.
//   A·Bᵀ (both contiguous along the depth): vec4s along k, 64 dot products per step.
//   A·B  (A along k, B along n): 8 rows of A as vec4s along k, times 4 rows of B as 2 vec4s.
//   Aᵀ·B (both contiguous along the result's edges): outer products of 2+2 vec4s per k.
// Only for plain 2-D products whose contiguous axes are multiples of 4 and large enough to
// fill a few workgroups; the others stay with blocked.ts. Operands bound as vec4 arrays must
// not also be read by the epilogue (codegen falls back when they are).

import type { AnchorCode } from './anchor'
import { u32 } from './program'

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)
/** Invocations per workgroup edge, and result rows and columns each owns. */
const S = 8
const B = 8
const LANES = ['x', 'y', 'z', 'w'] as const

/** Operand names (WGSL), transpose flags and sizes of a 2-D product. */
export interface WideProduct {
  readonly a: string
  readonly b: string
  readonly tA: boolean
  readonly tB: boolean
  readonly M: number
  readonly N: number
  readonly K: number
}

/** The axes each layout reads as vec4s, which must be multiples of 4. */
const VEC4_AXES: Record<string, readonly ('M' | 'N' | 'K')[]> = {
  NT: ['K'],
  NN: ['K', 'N'],
  TN: ['M', 'N'],
}

/** Whether `wide` can run this product (operand layouts, multiples of 4, enough work). */
export function fitsWide(p: WideProduct & { batch: number }): boolean {
  const axes = VEC4_AXES[`${p.tA ? 'T' : 'N'}${p.tB ? 'T' : 'N'}`]
  const enough = p.batch === 1 && p.M * p.N >= 2 * (S * B) ** 2 && p.M >= S && p.N >= S
  return enough && axes !== undefined && axes.every((axis) => p[axis] % 4 === 0)
}

export function wide(p: WideProduct): AnchorCode {
  const form = p.tA ? 'TN' : p.tB ? 'NT' : 'NN'
  const body = form === 'NT' ? nt(p) : form === 'NN' ? nn(p) : tn(p)
  return {
    key: `matmul:wide:${form}`,
    uniforms: [u32('M', p.M), u32('N', p.N), u32('K', p.K)],
    lib: [],
    decls: '',
    main: body,
    workgroupSize: [S, S, 1],
    workgroups: [Math.ceil(p.N / (S * B)), Math.ceil(p.M / (S * B)), 1],
    fusable: true,
    vec4Args: [0, 1],
  }
}

/** Guarded emits of the 8×8 block: row r at `row(r)`, column c at `col(c)`. */
function stores(row: (r: number) => string, col: (c: number) => string): string {
  return range(B)
    .flatMap((r) =>
      range(B).map(
        (c) =>
          `if (${row(r)} < u.M && ${col(c)} < u.N) { emit(${row(r)} * u.N + ${col(c)}, acc${r}_${c}); }`,
      ),
    )
    .join('\n  ')
}

const zeros = (): string =>
  range(B)
    .map((r) =>
      range(B)
        .map((c) => `var acc${r}_${c} = 0.0;`)
        .join(' '),
    )
    .join('\n  ')

/** A·Bᵀ: A [M,K], B [N,K]; rows spaced S apart so neighbours read neighbouring rows. */
function nt(p: WideProduct): string {
  const rows = range(B)
  return `let k4 = u.K / 4u;
  let m0 = wid.y * ${S * B}u + lid.y;
  let n0 = wid.x * ${S * B}u + lid.x;
  ${rows.map((r) => `let ar${r} = min(m0 + ${r * S}u, u.M - 1u) * k4;`).join('\n  ')}
  ${rows.map((c) => `let bc${c} = min(n0 + ${c * S}u, u.N - 1u) * k4;`).join('\n  ')}
  ${zeros()}
  for (var k = 0u; k < k4; k = k + 1u) {
    ${rows.map((r) => `let a${r} = ${p.a}[ar${r} + k];`).join(' ')}
    ${rows.map((c) => `let b${c} = ${p.b}[bc${c} + k];`).join(' ')}
    ${rows.map((r) => rows.map((c) => `acc${r}_${c} += dot(a${r}, b${c});`).join(' ')).join('\n    ')}
  }
  ${stores(
    (r) => `(m0 + ${r * S}u)`,
    (c) => `(n0 + ${c * S}u)`,
  )}`
}

/** A·B: A [M,K] as vec4s along k; B [K,N] as vec4s along n, two per invocation. */
function nn(p: WideProduct): string {
  const rows = range(B)
  const cols = range(2)
  const accs = rows.flatMap((r) => cols.map((c) => `var v${r}_${c} = vec4<f32>(0.0);`))
  const loadsB = cols.flatMap((c) =>
    range(4).map((j) => `let b${j}_${c} = ${p.b}[(k * 4u + ${j}u) * n4 + nc${c}];`),
  )
  const fmas = rows.flatMap((r) =>
    cols.map((c) =>
      range(4)
        .map((j) => `v${r}_${c} = fma(vec4(a${r}.${LANES[j] ?? 'x'}), b${j}_${c}, v${r}_${c});`)
        .join(' '),
    ),
  )
  return `let k4 = u.K / 4u;
  let n4 = u.N / 4u;
  let m0 = wid.y * ${S * B}u + lid.y;
  let c0 = wid.x * ${S * 2}u + lid.x;
  ${rows.map((r) => `let ar${r} = min(m0 + ${r * S}u, u.M - 1u) * k4;`).join('\n  ')}
  ${cols.map((c) => `let nc${c} = min(c0 + ${c * S}u, n4 - 1u);`).join('\n  ')}
  ${accs.join(' ')}
  for (var k = 0u; k < k4; k = k + 1u) {
    ${rows.map((r) => `let a${r} = ${p.a}[ar${r} + k];`).join(' ')}
    ${loadsB.join(' ')}
    ${fmas.join('\n    ')}
  }
  ${unpack(
    rows,
    cols,
    (r) => `(m0 + ${r * S}u)`,
    (c) => `(c0 + ${c * S}u) * 4u`,
  )}`
}

/** Aᵀ·B: A [K,M] and B [K,N] as vec4s along m and n: outer products, 2×2 vec4s. */
function tn(p: WideProduct): string {
  const two = range(2)
  const accs = two.flatMap((r) =>
    LANES.flatMap((l) => two.map((c) => `var v${r}${l}_${c} = vec4<f32>(0.0);`)),
  )
  const fmas = two.flatMap((r) =>
    LANES.map((l) =>
      two.map((c) => `v${r}${l}_${c} = fma(vec4(a${r}.${l}), b${c}, v${r}${l}_${c});`).join(' '),
    ),
  )
  const emits = two.flatMap((r) =>
    LANES.flatMap((l, j) =>
      two.flatMap((c) =>
        LANES.map((lc, jc) => {
          const m = `((m4 + ${r * S}u) * 4u + ${j}u)`
          const n = `((c0 + ${c * S}u) * 4u + ${jc}u)`
          return `if (${m} < u.M && ${n} < u.N) { emit(${m} * u.N + ${n}, v${r}${l}_${c}.${lc}); }`
        }),
      ),
    ),
  )
  return `let m4s = u.M / 4u;
  let n4 = u.N / 4u;
  let m4 = wid.y * ${S * 2}u + lid.y;
  let c0 = wid.x * ${S * 2}u + lid.x;
  ${two.map((r) => `let mc${r} = min(m4 + ${r * S}u, m4s - 1u);`).join('\n  ')}
  ${two.map((c) => `let nc${c} = min(c0 + ${c * S}u, n4 - 1u);`).join('\n  ')}
  ${accs.join(' ')}
  for (var k = 0u; k < u.K; k = k + 1u) {
    ${two.map((r) => `let a${r} = ${p.a}[k * m4s + mc${r}];`).join(' ')}
    ${two.map((c) => `let b${c} = ${p.b}[k * n4 + nc${c}];`).join(' ')}
    ${fmas.join('\n    ')}
  }
  ${emits.join('\n  ')}`
}

/** Emits of vec4 accumulators v{r}_{c} (row r, four columns from col(c)). */
function unpack(
  rows: readonly number[],
  cols: readonly number[],
  row: (r: number) => string,
  col: (c: number) => string,
): string {
  return rows
    .flatMap((r) =>
      cols.flatMap((c) =>
        LANES.map((l, j) => {
          const n = `(${col(c)} + ${j}u)`
          return `if (${row(r)} < u.M && ${n} < u.N) { emit(${row(r)} * u.N + ${n}, v${r}_${c}.${l}); }`
        }),
      ),
    )
    .join('\n  ')
}
