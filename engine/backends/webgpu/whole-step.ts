// A whole training step in one dispatch, for small graphs on CPU emulations of a GPU
// (SwiftShader), where every dispatch costs about as much as a small kernel's work: the step's
// kernels run one after another inside a single workgroup of 64 invocations, each looping over
// its own grid of workgroups, with a barrier before each kernel that reads or overwrites what
// another touched since the last one; a uniform says how many steps to run, so steps that need
// nothing new from the host loop inside the dispatch (and only the last of them computes what
// nobody could read in the others: the loss, predictions and checks).
// One workgroup binds one storage buffer, the arena, where every value has a slot (an emulated
// device allows 10 storage buffers per kernel, and a step reads many more), so each kernel's
// `rK[…]` and `wK[…]` become `arena[offset + …]`; its integer uniforms become literals and its
// float uniforms a member of one uniform block (values, not constants: a compiler must not fold
// x·0 to 0 where a check looks for NaN), and its module-scope names get a suffix. Graphs that
// do not fit (big grids, vec4 operands, updates not written in place) keep one dispatch per
// kernel, as does any whole-step module the compiler refuses.

import { numel } from '../../ir'
import { lastReads } from './buffers'
import { rewriteAccesses } from './pieces'
import type { GpuPlan } from './gpu-plan'
import type { Uniform, WgslProgram } from './program'
import { packUniforms, u32, uniformStruct } from './program'
import { updatingKernels } from './schedule'
import { libSource } from './wgsl-lib'

/** Invocations of every kernel's workgroup. */
const THREADS = 64
/**
 * Invocations that run them when no kernel shares workgroup memory: each plays 64 / LANES of
 * the kernel's invocations in turn, and barriers among few invocations cost little (one
 * SwiftShader SIMD group is 4 wide).
 */
const LANES = 4
/** Most workgroups, over all kernels, that one workgroup runs in turn. */
const MAX_GROUPS = 256

export interface Arena {
  /** Float offset of each value's slot (inputs, constants, pooled values, in-place updates). */
  readonly offsetOf: ReadonlyMap<number, number>
  readonly floats: number
}

/** Why a plan cannot run as one dispatch, or null when it can. */
export function wholeStepRefusal(gpu: GpuPlan): string | null {
  const groups = gpu.programs.reduce(
    (n, g) => n + g.workgroups[0] * g.workgroups[1] * g.workgroups[2],
    0,
  )
  if (groups > MAX_GROUPS) return `${groups} workgroups a step (at most ${MAX_GROUPS})`
  for (const g of gpu.programs) {
    const size = g.parts?.workgroupSize.reduce((a, b) => a * b, 1)
    if (g.parts === undefined || size !== THREADS) return `${g.name} has no ${THREADS}-wide form`
    if (g.parts.vec4) return `${g.name} reads vec4s`
    if (g.pieces !== undefined) return `${g.name} binds a value in pieces`
  }
  const inPlace = new Set(gpu.inPlace.values())
  const copied = gpu.program.outputs.find((o) => o.updates !== undefined && !inPlace.has(o.id))
  if (copied !== undefined) return `update ${copied.name} is not written in place`
  return null
}

/**
 * Float offsets in the one buffer: a slot for each input and constant, then the values kernels
 * write, placed by lifetime (from the kernel writing one to the last kernel reading it; program
 * outputs to the end), largest first, each at the lowest offset clear of the values alive beside
 * it. Slots are not padded: no kernel of a whole step reads vec4s.
 */
export function arenaOf(gpu: GpuPlan): Arena {
  const offsetOf = new Map<number, number>()
  let floats = 0
  const take = (n: number): number => {
    const at = floats
    floats += Math.max(1, n)
    return at
  }
  for (const input of gpu.program.inputs) offsetOf.set(input.id, take(numel(input.shape)))
  for (const id of gpu.constants.keys()) offsetOf.set(id, take(numel(gpu.shapeOf(id))))
  const base = floats
  for (const v of placeByLifetime(gpu)) {
    offsetOf.set(v.id, base + v.at)
    floats = Math.max(floats, base + v.at + v.size)
  }
  for (const [input, output] of gpu.inPlace) offsetOf.set(output, offsetOf.get(input) ?? 0)
  for (const [view, source] of gpu.aliases) offsetOf.set(view, offsetOf.get(source) ?? 0)
  return { offsetOf, floats }
}

interface Lifetime {
  readonly id: number
  readonly size: number
  /** Kernels (by index) writing it and last reading it, both inclusive. */
  readonly from: number
  readonly to: number
}

/** Offsets for the values held in pooled buffers (gpu.buffers), by their kernels' order. */
function placeByLifetime(gpu: GpuPlan): (Lifetime & { at: number })[] {
  const to = lastReads(gpu.programs, new Set(gpu.program.outputs.map((o) => o.id)))
  const from = new Map<number, number>()
  gpu.programs.forEach((g, i) => {
    for (const id of g.writes) from.set(id, i)
  })
  const values: Lifetime[] = [...gpu.buffers.bufferOf.keys()].map((id) => ({
    id,
    size: Math.max(1, numel(gpu.shapeOf(id))),
    from: from.get(id) ?? 0,
    to: to.get(id) ?? from.get(id) ?? 0,
  }))
  values.sort((a, b) => b.size - a.size || a.from - b.from)
  const placed: (Lifetime & { at: number })[] = []
  for (const v of values) {
    const beside = placed
      .filter((p) => p.from <= v.to && v.from <= p.to)
      .sort((a, b) => a.at - b.at)
    let at = 0
    for (const p of beside) {
      if (at + v.size <= p.at) break
      at = Math.max(at, p.at + p.size)
    }
    placed.push({ ...v, at })
  }
  return placed
}

export interface WholeStep {
  readonly program: WgslProgram
  /** The uniform block, `steps` set to n (the runtime rewrites it), every kernel's after it. */
  uniforms(n: number): ArrayBuffer
}

/**
 * The one module: every kernel as a function, and a main that runs them `all.steps` times, on
 * `lanes` invocations (all 64 where a kernel shares workgroup memory).
 */
export function wholeStep(gpu: GpuPlan, arena: Arena, asked: number = LANES): WholeStep {
  if (!Number.isInteger(asked) || asked < 1 || asked > THREADS) {
    throw new Error(`webgpu: a whole step runs on 1 to ${THREADS} lanes, not ${asked}`)
  }
  const libs = new Set(gpu.programs.flatMap((g) => g.parts?.lib ?? []))
  const shares = gpu.programs.some((g) => sharesMemory(g))
  const lanes = shares ? THREADS : asked
  const kernels = gpu.programs.map((g, i) => kernelFunction(g, i, arena))
  const carries = updatingKernels(gpu.kernels, gpu.program, (id) => gpu.aliases.get(id) ?? id)
  // Kernels that only make what a step reports (loss, predictions, checks) run in the last step
  // of a loop: with nothing logged between steps, only the last step's reports can be read.
  const fences = barriersBefore(gpu, arena)
  const calls = gpu.programs.map((g, i) => {
    const call = carries.has(i)
      ? callKernel(g, i, lanes)
      : `    if (s + 1u == all.steps) {\n${callKernel(g, i, lanes)}\n    }`
    return fences.has(i) ? `    storageBarrier();\n${call}` : call
  })
  // Only float uniforms stay in the block (integer ones are literals), packed four bytes
  // apart after the step count: kernel i's `u.x` is `all.k{i}_x`.
  const block: Uniform[] = [
    u32('steps', 1),
    ...gpu.programs.flatMap((g, i) =>
      g.uniforms.flatMap((u) => (u.type === 'f32' ? [{ ...u, name: `k${i}_${u.name}` }] : [])),
    ),
  ]
  const wgsl = [
    libSource(libs),
    uniformStruct(block).replace('struct U ', 'struct All '),
    '@group(0) @binding(0) var<uniform> all: All;',
    // Sized, so the compiler knows every slot's bounds (a runtime-sized array pays a check per
    // load: sizing it made the 2-8-8-2 step a third faster on SwiftShader).
    `@group(0) @binding(1) var<storage, read_write> arena: array<f32, ${Math.max(1, arena.floats)}>;`,
    ...kernels,
    `@compute @workgroup_size(${lanes}, 1, 1)
fn main(@builtin(local_invocation_index) lidx: u32) {
  for (var s = 0u; s < all.steps; s = s + 1u) {
${calls.join('\n')}
    storageBarrier();
  }
}`,
  ].join('\n')
  const program: WgslProgram = {
    name: `whole step (${gpu.programs.length} kernels)`,
    key: `whole:${wgsl}`,
    wgsl: () => wgsl,
    uniforms: [],
    workgroups: [1, 1, 1],
    reads: [],
    // One read-write binding, the arena: in an arena's resources every id names that buffer.
    writes: [-1],
  }
  return {
    program,
    uniforms: (n) => packUniforms(block.map((u) => (u.name === 'steps' ? { ...u, value: n } : u))),
  }
}

/**
 * Invocations of a workgroup that have work: a map kernel's (one per element, flat) stop at its
 * element count; others may all have some.
 */
function active(g: WgslProgram): string {
  const n = g.uniforms.find((u) => u.name === 'n')?.value
  if (!g.key.startsWith('map(') || n === undefined) return `${THREADS}u`
  return `min(${THREADS}u, ${n}u - min(${n}u, (gy * ${g.workgroups[0]}u + gx) * ${THREADS}u))`
}

const sharesMemory = (g: WgslProgram): boolean => /var<workgroup>/.test(g.parts?.decls ?? '')

/** Kernel i over its grid; each of `lanes` invocations plays THREADS / lanes of the kernel's. */
function callKernel(g: WgslProgram, i: number, lanes: number): string {
  const [gx, gy, gz] = g.workgroups
  const [sx, sy] = g.parts?.workgroupSize ?? [THREADS, 1, 1]
  const lid = (v: string): string =>
    `vec3<u32>(${v} % ${sx}u, (${v} / ${sx}u) % ${sy}u, ${v} / ${sx * sy}u)`
  const call = (v: string): string =>
    `k${i}(vec3<u32>(gx, gy, gz), vec3<u32>(${gx}u, ${gy}u, ${gz}u), ${v}, ${lid(v)});`
  // Kernels that share workgroup memory run with all their invocations and a barrier per group.
  const body =
    lanes === THREADS
      ? `${call('lidx')}${sharesMemory(g) ? '\n          workgroupBarrier();' : ''}`
      : `for (var v = lidx; v < ${active(g)}; v = v + ${lanes}u) {\n            ${call('v')}\n          }`
  return `    for (var gz = 0u; gz < ${gz}u; gz = gz + 1u) {
      for (var gy = 0u; gy < ${gy}u; gy = gy + 1u) {
        for (var gx = 0u; gx < ${gx}u; gx = gx + 1u) {
          ${body}
        }
      }
    }`
}

/**
 * Kernels that need a barrier before them: those reading or writing a float that a kernel since
 * the last barrier wrote, or writing one that such a kernel read (arena slots are shared by
 * lifetime). The others run straight on: a barrier stops every invocation, and a small step has
 * as many kernels as it has floats to spare. Barriers stand outside the kernels run only in a
 * loop's last step, so skipping those skips none. Each step ends with one.
 */
function barriersBefore(gpu: GpuPlan, arena: Arena): Set<number> {
  const span = (id: number): [number, number] => {
    const at = arena.offsetOf.get(id) ?? 0
    return [at, at + Math.max(1, numel(gpu.shapeOf(id)))]
  }
  const meets = (a: [number, number][], b: [number, number][]): boolean =>
    a.some(([s, e]) => b.some(([t, f]) => s < f && t < e))
  const fences = new Set<number>()
  let written: [number, number][] = []
  let read: [number, number][] = []
  gpu.programs.forEach((g, i) => {
    const [reads, writes] = [g.reads.map(span), g.writes.map(span)]
    if (meets(reads, written) || meets(writes, written) || meets(writes, read)) {
      fences.add(i)
      ;[written, read] = [[], []]
    }
    written.push(...writes)
    read.push(...reads)
  })
  return fences
}

/**
 * Kernel i as functions over the arena. Its integer uniforms (sizes, strides) become literals,
 * so the compiler turns divisions by them into multiplications (SwiftShader has no vector
 * integer division); float uniforms stay values in the uniform block, never folded.
 */
function kernelFunction(g: WgslProgram, i: number, arena: Arena): string {
  const parts = g.parts
  if (parts === undefined) throw new Error(`webgpu: ${g.name} has no parts`)
  const names = [
    ...parts.decls.matchAll(/\bfn\s+(\w+)/g),
    ...parts.decls.matchAll(/var<workgroup>\s+(\w+)/g),
  ].map((m) => m[1] ?? '')
  const slot = (kind: string, k: number): number => {
    const id = (kind === 'r' ? g.reads : g.writes)[k]
    const at = id === undefined ? undefined : arena.offsetOf.get(id)
    if (at === undefined) throw new Error(`webgpu: ${g.name} ${kind}${k} has no slot`)
    return at
  }
  const sizes = new Map(
    g.uniforms.flatMap((u) =>
      u.type === 'f32' ? [] : [[u.name, `${u.value}${u.type === 'u32' ? 'u' : 'i'}`]],
    ),
  )
  const rewrite = (text: string): string => {
    let out = toArena(text, slot).replace(/\bu\.(\w+)/g, (_, name: string) =>
      sizes.has(name) ? `(${sizes.get(name) ?? ''})` : `all.k${i}_${name}`,
    )
    for (const name of names) out = out.replace(new RegExp(`\\b${name}\\b`, 'g'), `${name}_${i}`)
    return out
  }
  return [
    `// ${g.name}`,
    rewrite(parts.decls),
    `fn k${i}(wid: vec3<u32>, nwg: vec3<u32>, lidx: u32, lid: vec3<u32>) {\n  ${rewrite(parts.main)}\n}`,
  ].join('\n')
}

/** `rK[e]` / `wK[e]` → `arena[offset + (e)]`. */
function toArena(text: string, slot: (kind: string, k: number) => number): string {
  return rewriteAccesses(text, (name, index, value) => {
    const access = `arena[${slot(name.slice(0, 1), Number(name.slice(1)))}u + (${index})]`
    return value === undefined ? access : `${access} = ${value}`
  })
}
