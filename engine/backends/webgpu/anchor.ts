// The contract between a kernel's anchor (the op that heads a fusion group: a matmul, a
// reduction, a window op…) and the code that wraps it: the anchor computes each output element
// and hands it to emit(i, v), which the group's elementwise epilogue defines. Most anchors are
// maps (one invocation per output element); helpers here build those and their index math.

import type { Eqn, OpName, Shape } from '../../ir'
import type { Uniform, Workgroups } from './program'
import { FLAT_INDEX, WG, flatWorkgroups, u32 } from './program'
import type { ProductChoice } from './split-products'
import type { MatmulTile } from './tiled'
import type { LibName } from './wgsl-lib'

/** Choices that suit one kind of device better than another (they enter program keys). */
export interface Tuning {
  /**
   * Matmuls through workgroup-memory tiles (real GPUs), or each invocation reading its rows and
   * columns directly (CPU emulations such as SwiftShader, where barriers are dear).
   */
  readonly tiledMatmul: boolean
  /** One block for every tiled matmul (tiled.ts); default: per product, as below. */
  readonly matmulTile?: MatmulTile | undefined
  /** Blocks measured best for products (tune.ts), by productKey; others take pickTile's. */
  readonly products?: ReadonlyMap<string, ProductChoice> | undefined
  /**
   * Operands read as vec4 arrays where an anchor can (wide.ts); codegen turns it off for a
   * kernel whose epilogue reads such an operand too. Default: yes.
   */
  readonly vec4Operands?: boolean
  /** Bytes of workgroup memory the device offers a kernel (default: WebGPU's guaranteed 16 KiB). */
  readonly workgroupBytes?: number | undefined
}

/** A product's first (A) or second (B) operand. */
export type ProductOperand = 'a' | 'b'

export interface AnchorInput<K extends OpName> {
  readonly eqn: Eqn<K>
  readonly argShapes: readonly Shape[]
  /** WGSL name of operand k's buffer. */
  readonly arg: (k: number) => string
  /**
   * WGSL for operand k's element at `index`: a buffer read, or for a reduction's operand made
   * by a prologue, the prologue's value there (codegen.ts). Anchors that read through this
   * can take a prologue.
   */
  readonly load: (k: number, index: string) => string
  readonly tuning: Tuning
  /**
   * A product's kernel also sums this operand over the depth, handing each sum to emit_sum
   * (column-sums.ts); only tiled products can.
   */
  readonly depthSums?: ProductOperand
}

export interface AnchorCode {
  /** Structural parameters the code depends on (never sizes: those are uniforms). */
  readonly key: string
  readonly uniforms: readonly Uniform[]
  readonly lib: readonly LibName[]
  /** Module-scope WGSL: functions, workgroup arrays. */
  readonly decls: string
  /** The entry point's body; it calls emit(i, v) for output elements. */
  readonly main: string
  readonly workgroupSize: readonly [number, number, number]
  readonly workgroups: Workgroups
  /** False when emit() stores partial values (accumulation in place): no epilogue then. */
  readonly fusable: boolean
  /** Operands (by argument index) bound as array<vec4<f32>> rather than array<f32>. */
  readonly vec4Args?: readonly number[]
}

export type AnchorGen<K extends OpName> = (a: AnchorInput<K>) => AnchorCode

export interface MapSpec {
  readonly key: string
  readonly count: number
  readonly uniforms?: readonly Uniform[]
  readonly lib?: readonly LibName[]
  readonly decls?: string
  /** Body of `fn value(i: u32) -> f32`: the output element at flat index i. */
  readonly value: string
}

/** One invocation per output element: emit(i, value(i)). */
/** A map kernel's entry body: element `index` (up to u.n) gets value(i). */
export const mapMain = (index: string): string =>
  `let i = ${index};\n  if (i >= u.n) { return; }\n  emit(i, value(i));`

export function mapAnchor(spec: MapSpec): AnchorCode {
  return {
    key: `map(${spec.key})`,
    uniforms: [u32('n', spec.count), ...(spec.uniforms ?? [])],
    lib: spec.lib ?? [],
    decls: `${spec.decls ?? ''}\nfn value(i: u32) -> f32 {\n${spec.value}\n}`,
    main: mapMain(FLAT_INDEX),
    workgroupSize: [WG, 1, 1],
    workgroups: flatWorkgroups(spec.count),
    fusable: true,
  }
}

/** Uniforms `${p}0…` holding a list of sizes or strides. */
export function listUniforms(prefix: string, values: readonly number[]): Uniform[] {
  return values.map((v, d) => u32(`${prefix}${d}`, v))
}

/**
 * WGSL statements declaring `let ${c}0 … ${c}{r-1}`: the coordinates of flat index `idx` over
 * the row-major sizes in uniforms u.${dims}0….
 */
export function splitIndex(idx: string, dims: string, rank: number, c = 'c'): string {
  if (rank === 0) return ''
  const lines = [`var ${c}rem = ${idx};`]
  for (let d = rank - 1; d > 0; d--) {
    lines.push(`let ${c}${d} = ${c}rem % u.${dims}${d};`, `${c}rem = ${c}rem / u.${dims}${d};`)
  }
  lines.push(`let ${c}0 = ${c}rem;`)
  return lines.join('\n  ')
}

/** Σ coordinate · stride over uniforms u.${strides}d, as a WGSL expression. */
export function dotStrides(rank: number, strides: string, c = 'c', base = '0u'): string {
  const terms = Array.from({ length: rank }, (_, d) => `${c}${d} * u.${strides}${d}`)
  return [base, ...terms].join(' + ')
}

/**
 * Drops size-1 axes and merges neighbours that stay contiguous in the source, so strided reads
 * loop over as few axes as possible (a transpose of [B, M, N] keeps three, a slice of rows one).
 */
export function collapse(
  dims: readonly number[],
  strides: readonly number[],
): { dims: number[]; strides: number[] } {
  const outDims: number[] = []
  const outStrides: number[] = []
  dims.forEach((d, i) => {
    if (d === 1) return
    const s = strides[i] ?? 0
    const last = outDims.length - 1
    const prevStride = outStrides[last]
    if (last >= 0 && prevStride === s * d) {
      outDims[last] = (outDims[last] ?? 1) * d
      outStrides[last] = s
    } else {
      outDims.push(d)
      outStrides.push(s)
    }
  })
  return { dims: outDims, strides: outStrides }
}

/** Operand k's shape (empty when missing: shape rules have run before codegen). */
export function shapeAt(shapes: readonly Shape[], k: number): Shape {
  return shapes[k] ?? []
}
