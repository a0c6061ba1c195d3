// A WGSL program as data (onnxruntime-web's ProgramInfo): a name for people, a cache key that
// names everything the shader text depends on, the shader generator, and the per-call run data
// (uniform values, workgroup counts, which values it reads and writes). Sizes travel as
// uniforms, so one compiled pipeline serves every batch size.

import type { LibName } from './wgsl-lib'

export type UniformType = 'u32' | 'i32' | 'f32'

export interface Uniform {
  readonly name: string
  readonly type: UniformType
  readonly value: number
}

export type Workgroups = readonly [number, number, number]

export interface WgslProgram {
  /** What it computes, for debug output and error messages (e.g. "matmul+add+maximum %12"). */
  readonly name: string
  /** Everything the shader text depends on; pipelines are cached by it. */
  readonly key: string
  readonly wgsl: () => string
  /** Values of the `u` struct's fields, in declaration order. */
  readonly uniforms: readonly Uniform[]
  readonly workgroups: Workgroups
  /** Value ids bound read-only as r0, r1, … (after the uniforms at binding 0). */
  readonly reads: readonly number[]
  /** Value ids bound read-write as w0, w1, … (after the reads). */
  readonly writes: readonly number[]
  /**
   * Present when a value is bound in pieces (pieces.ts): floats per piece, the floats of each
   * slot's value (reads, then writes), and how: `ranged`, the kernel runs once per piece with
   * uniform `base` at its first element, each slot of the kernel's size bound one piece at a
   * time; else a slot takes ceil(floats / piece) bindings, read through accessors.
   */
  readonly pieces?: {
    readonly floats: number
    readonly slots: readonly number[]
    readonly ranged?: { readonly count: number }
  }
  /** The module's parts, for whole-step.ts to put many kernels in one (generated kernels). */
  readonly parts?: ProgramParts
}

export interface ProgramParts {
  readonly lib: readonly LibName[]
  /** Module-scope declarations: the anchor's functions and workgroup arrays, the epilogue. */
  readonly decls: string
  /** The entry point's body. */
  readonly main: string
  readonly workgroupSize: readonly [number, number, number]
  /** Whether some operand is bound as vec4s. */
  readonly vec4: boolean
}

export const u32 = (name: string, value: number): Uniform => ({ name, type: 'u32', value })
export const i32 = (name: string, value: number): Uniform => ({ name, type: 'i32', value })
export const f32 = (name: string, value: number): Uniform => ({ name, type: 'f32', value })

/** The uniform struct's declaration; a struct needs at least one field, so `n` always exists. */
export function uniformStruct(uniforms: readonly Uniform[]): string {
  const fields = uniforms.map((u) => `  ${u.name}: ${u.type},`)
  return `struct U {\n${fields.join('\n')}\n}`
}

/** Uniform values packed as the struct lays them out (4 bytes each), padded to 16 bytes. */
export function packUniforms(uniforms: readonly Uniform[]): ArrayBuffer {
  const bytes = Math.max(16, Math.ceil((uniforms.length * 4) / 16) * 16)
  const buf = new ArrayBuffer(bytes)
  const view = new DataView(buf)
  uniforms.forEach((u, i) => {
    if (u.type === 'f32') view.setFloat32(i * 4, u.value, true)
    else if (u.type === 'i32') view.setInt32(i * 4, u.value, true)
    else view.setUint32(i * 4, u.value >>> 0, true)
  })
  return buf
}

/** Threads of every one-dimensional kernel's workgroup. */
export const WG = 64
const MAX_PER_DIM = 65535

/** Workgroups for `threads` invocations of a flat kernel: x up to the limit, then y. */
export function flatWorkgroups(threads: number, size = WG): Workgroups {
  const groups = Math.ceil(threads / size)
  if (groups === 0) return [0, 1, 1]
  const x = Math.min(groups, MAX_PER_DIM)
  return [x, Math.ceil(groups / x), 1]
}

/** The flat index of this invocation in a kernel dispatched with flatWorkgroups(). */
export const FLAT_INDEX = `(wid.y * nwg.x + wid.x) * ${WG}u + lidx`

/** Entry-point parameters every generated kernel declares (unused ones cost nothing). */
export const MAIN_PARAMS =
  '@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, ' +
  '@builtin(local_invocation_index) lidx: u32, @builtin(local_invocation_id) lid: vec3<u32>'
