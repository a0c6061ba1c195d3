// The device-free half of the WebGPU backend on real training steps (tinygrad's DEV=NULL idea):
// every equation lands in exactly one kernel, kernels run after what they read, no kernel binds
// more buffers than allowed, the pooled buffers never lose a value before its last read, equal
// keys mean equal shader text, the limits check names the tensor, and a small step fits in one
// module over one arena. WGSL validity itself is
// checked in Chromium by e2e/webgpu-vs-cpu.spec.ts.

import { describe, expect, it } from 'vitest'
import convnet from '../../../assets/examples/mnist-convnet.json'
import mnistMlp from '../../../assets/examples/mnist-mlp.json'
import spiral from '../../../assets/examples/spiral.json'
import { parseProject } from '../../io/project-json'
import { ProgramBuilder, opDef } from '../../ir'
import type { CompiledPlan } from '../../passes'
import { compile } from '../../passes'
import { chain } from '../../graph/test-graphs'
import { compileModel, planModel } from '../../train/model'
import { trainSettings } from '../../train/settings'
import { mlp } from '../../train/train-fixtures'
import { checkLimits } from './buffers'
import type { GpuPlan } from './gpu-plan'
import { planWebGpu } from './gpu-plan'
import { kernelEqns, kernelName, kernelReads } from './codegen'
import { splitEveryProduct } from './split-products'
import { TILES } from './tiled'
import { allocations } from './resources'
import { updatingKernels } from './schedule'
import { SPLIT_ON_GPU } from './split-reduce'
import { arenaOf, wholeStep, wholeStepRefusal } from './whole-step'

/** The project's training step, its settings changed by `change` (clipping, say). */
function trainingPlan(json: unknown, change: { clipNorm?: number } = {}): CompiledPlan {
  const r = parseProject(json)
  if (!r.ok) throw new Error(r.errors.join('; '))
  return compileModel(r.project.graph, { ...r.project.training, ...change }).plan
}

const PLANS = { spiral, 'mnist-mlp': mnistMlp, 'mnist-convnet': convnet }
const MAX_BINDINGS = 8

/**
 * Walks the kernels in order, tracking which value each pooled buffer holds; updates written in
 * place live in their input's buffer, which nothing may read as the old value afterwards.
 */
function walk(gpu: GpuPlan): string[] {
  const problems: string[] = []
  const resident = new Set([...gpu.program.inputs.map((i) => i.id), ...gpu.constants.keys()])
  const source = (id: number): number => gpu.aliases.get(id) ?? id
  const inPlaceOf = new Map([...gpu.inPlace].map(([input, output]) => [output, input]))
  const replaced = new Set<number>()
  const holds = new Map<number, number>()
  gpu.programs.forEach((g) => {
    for (const id of g.reads) {
      if (replaced.has(id)) problems.push(`${g.name} reads %${id} after its update replaced it`)
      if (resident.has(id)) continue
      const b = gpu.buffers.bufferOf.get(id)
      if (b === undefined || holds.get(b) !== id) problems.push(`${g.name} reads %${id} lost`)
    }
    const readBuffers = new Set(g.reads.map((id) => gpu.buffers.bufferOf.get(id)))
    for (const id of g.writes) {
      const input = inPlaceOf.get(id)
      const b = gpu.buffers.bufferOf.get(id)
      if (input !== undefined) {
        if (g.reads.includes(input)) problems.push(`${g.name} binds %${input} twice`)
        replaced.add(input)
        resident.add(id)
      } else if (b === undefined) problems.push(`${g.name} writes %${id} nowhere`)
      else if (readBuffers.has(b)) problems.push(`${g.name} reads and writes buffer ${b}`)
      else holds.set(b, id)
    }
    if (g.reads.length + g.writes.length > MAX_BINDINGS) problems.push(`${g.name} binds too many`)
  })
  for (const o of gpu.program.outputs) {
    const id = source(o.id)
    const b = gpu.buffers.bufferOf.get(id)
    if (!resident.has(id) && (b === undefined || holds.get(b) !== id)) {
      problems.push(`output ${o.name} lost`)
    }
  }
  return problems
}

describe.each(Object.entries(PLANS))('WebGPU plan of the %s training step', (_, json) => {
  const plan = trainingPlan(json)

  const split = splitEveryProduct(plan.program, TILES.square8)
  it.each([
    ['tiled', { tiledMatmul: true }],
    ['tiled, every product split', { tiledMatmul: true, products: split }],
    ['direct', { tiledMatmul: false }],
  ] as const)('covers every equation once (matmuls %s)', (_, options) => {
    const gpu = planWebGpu(plan, { maxBindings: MAX_BINDINGS, ...options })
    const covered = gpu.kernels.flatMap(kernelEqns)
    // Views (reshape, stop_gradient) run in no kernel: they read their source's buffer.
    const ids = [...covered.map((e) => e.id), ...gpu.aliases.keys()]
    expect(new Set(ids).size).toBe(ids.length)
    // Constants, and iotas that only elementwise ops read, are computed where they are read.
    const made = new Set(ids)
    const inlined = gpu.program.eqns.filter((e) => e.op === 'iota' && !made.has(e.id))
    for (const iota of inlined) {
      const readers = covered.filter((e) => e.args.includes(iota.id))
      expect(readers.length).toBeGreaterThan(0)
      for (const r of readers)
        expect(opDef(r.op).kind, `%${r.id} reads an iota`).toBe('elementwise')
    }
    const computed = gpu.program.eqns.filter((e) => e.op !== 'full' && !inlined.includes(e))
    expect([...ids].sort((a, b) => a - b)).toEqual(computed.map((e) => e.id).sort((a, b) => a - b))
    expect(walk(gpu)).toEqual([])
  })

  it("sums a split product's parts in a kernel that also runs the product's epilogue", () => {
    const gpu = planWebGpu(plan, { maxBindings: MAX_BINDINGS, products: split })
    const partial = new Set(
      gpu.program.eqns.filter((e) => e.op === 'matmul' && e.shape.length === 3).map((e) => e.id),
    )
    expect(partial.size).toBe(split.size)
    expect(gpu.programs.filter((g) => g.key.includes(':parts')).length).toBe(partial.size)
    const sums = gpu.kernels.filter(
      (k) => k.anchor?.op === 'sum' && partial.has(k.anchor.args[0] ?? -1),
    )
    expect(sums.length).toBe(partial.size)
    // The forward products' bias (and activation) at least join their sums.
    expect(sums.filter((k) => kernelEqns(k).length > 1).length).toBeGreaterThan(0)
  })

  it("computes each finiteness check's product inside its sum (one kernel, no buffer)", () => {
    const gpu = planWebGpu(plan, { maxBindings: MAX_BINDINGS })
    const checks = new Set(
      gpu.program.outputs.filter((o) => o.name.startsWith('check:')).map((o) => o.id),
    )
    const writerOf = (id: number) =>
      gpu.kernels.find((k) => k.writes.includes(gpu.aliases.get(id) ?? id))
    expect(checks.size).toBeGreaterThan(0)
    for (const check of checks) {
      // Back through a split reduction's stages to the first, which reads the product.
      let k = writerOf(check)
      while (k?.anchor?.op === 'sum' && k.prologue === undefined) {
        k = writerOf(k.anchor.args[0] ?? -1)
      }
      expect(k?.prologue?.map((e) => e.op) ?? [], k && kernelName(k)).toContain('mul')
    }
  })

  it('writes every parameter and optimizer state update in place', () => {
    const gpu = planWebGpu(plan, { maxBindings: MAX_BINDINGS })
    const updated = plan.program.outputs.flatMap((o) => (o.updates === undefined ? [] : [o]))
    const inPlace = updated.filter((o) => [...gpu.inPlace.values()].includes(o.id))
    expect(updated.length).toBeGreaterThan(0)
    expect(inPlace.map((o) => o.updates)).toEqual(updated.map((o) => o.updates))
  })

  it('gives one shader text per key', () => {
    const texts = new Map<string, string>()
    for (const options of [{ tiledMatmul: false }, { products: split }, {}]) {
      for (const g of planWebGpu(plan, { maxBindings: MAX_BINDINGS, ...options }).programs) {
        const text = g.wgsl()
        expect(texts.get(g.key) ?? text, g.name).toBe(text)
        texts.set(g.key, text)
      }
    }
  })
})

describe("a GPU's plan of a large MLP's step", () => {
  it('runs a step followed by another in its submission as its eight products alone', () => {
    // 1024-2048-2048-1024 at batch 256 with SGD and MSE, the bench's largest shape. On a GPU
    // every dispatch waits for the one before, so each kernel counts.
    const graph = mlp('1024', [2048, 2048], 'relu', 1024, 'mse')
    const settings = trainSettings({ batchSize: 256, optimizer: { type: 'sgd' } })
    const gpu = planWebGpu(planModel(graph, settings).plan, {
      maxBindings: 10,
      tiledMatmul: true,
      splitReductionsFrom: SPLIT_ON_GPU,
    })
    const every = updatingKernels(gpu.kernels, gpu.program, (id) => gpu.aliases.get(id) ?? id)
    const kernels = gpu.kernels.filter((_, i) => every.has(i))
    // Three products forward, five back (no input gradient for the first layer); each bias
    // gradient and its update is made by its weight gradient's kernel (column-sums.ts).
    expect(kernels.map((k) => k.anchor?.op)).toEqual(Array(8).fill('matmul'))
    expect(kernels.filter((k) => k.depthSum?.kernel.anchor?.op === 'sum')).toHaveLength(3)
  })

  it("keeps each bias gradient apart where its weight gradient's product is split", () => {
    const graph = mlp('1024', [2048, 2048], 'relu', 1024, 'mse')
    const settings = trainSettings({ batchSize: 256, optimizer: { type: 'sgd' } })
    const plan = planModel(graph, settings).plan
    const products = splitEveryProduct(plan.program, TILES.small)
    const gpu = planWebGpu(plan, { maxBindings: 10, tiledMatmul: true, products })
    expect(gpu.kernels.filter((k) => k.depthSum !== undefined)).toHaveLength(0)
    // The three bias gradients: sums over the batch of a [256, units] gradient.
    const overBatch = gpu.kernels.filter((k) => {
      const a = k.anchor
      return a?.op === 'sum' && a.attrs.axes[0] === 0 && gpu.shapeOf(a.args[0] ?? -1)[0] === 256
    })
    expect(overBatch).toHaveLength(3)
  })
})

describe('updates in place', () => {
  it("writes a batch norm's scale in place: its update runs after the last read of the old", () => {
    const graph = chain([
      ['input', 'input', { shape: '2, 6, 6' }],
      ['conv', 'conv2d', { filters: 3, kernel: 3, padding: 1 }],
      ['bn', 'batch-norm'],
      ['act', 'relu'],
      ['flat', 'flatten'],
      ['dense', 'dense', { units: 3 }],
      ['loss', 'softmax-cross-entropy'],
    ])
    const plan = compileModel(graph, trainSettings({ batchSize: 4 })).plan
    const gpu = planWebGpu(plan, { maxBindings: MAX_BINDINGS, tiledMatmul: false })
    const updated = plan.program.outputs.flatMap((o) => (o.updates === undefined ? [] : [o.id]))
    expect([...gpu.inPlace.values()].sort()).toEqual([...updated].sort())
    expect(walk(gpu)).toEqual([])
    expect(wholeStepRefusal(gpu)).toBeNull()
  })
})

describe('values larger than one binding', () => {
  // dense1.weight is 128 × 784 floats: two pieces of 64 Ki floats (256 KiB).
  const PIECE = 64 * 1024
  const gpu = planWebGpu(trainingPlan(mnistMlp), { maxBindings: 10, pieceFloats: PIECE })

  // Clipped, so the weight's Adam update is a kernel of its own (elementwise ops only).
  const clipped = planWebGpu(trainingPlan(mnistMlp, { clipNorm: 1 }), {
    maxBindings: 10,
    pieceFloats: PIECE,
  })

  it('binds them in pieces: through accessors, or a pass per piece for elementwise kernels', () => {
    const pieced = [...gpu.programs, ...clipped.programs].filter((g) => g.pieces !== undefined)
    const ranged = pieced.filter((g) => g.pieces?.ranged !== undefined)
    // The weight's matmuls read it through accessors; its clipped update runs a pass per piece.
    expect(ranged.length).toBeGreaterThan(0)
    expect(pieced.length).toBeGreaterThan(ranged.length)
    for (const g of pieced) {
      const wgsl = g.wgsl()
      const slots = [...g.reads.map((_, i) => `r${i}`), ...g.writes.map((_, i) => `w${i}`)]
      const split = slots.filter((_, i) => (g.pieces?.slots[i] ?? 0) > PIECE)
      expect(split.length, g.name).toBeGreaterThan(0)
      for (const name of split) {
        if (g.pieces?.ranged) {
          // Bound a piece at a time, indexed from the pass's first element.
          expect(wgsl, g.name).toMatch(new RegExp(`\\b${name}\\[\\(i\\) - u\\.base\\]`))
          expect(wgsl, g.name).not.toContain(`${name}_1`)
          continue
        }
        const access = name.startsWith('w') ? 'read_write' : 'read'
        expect(wgsl, g.name).toContain(`var<storage, ${access}> ${name}_1:`)
        expect(wgsl, g.name).toMatch(new RegExp(`\\b${name}_at\\(`))
        expect(wgsl, g.name).not.toMatch(new RegExp(`\\b${name}\\[`))
      }
      // Binding numbers run on with no gap: one per slot, one per piece of a split one.
      const numbers = [...wgsl.matchAll(/@binding\((\d+)\)/g)].map((m) => Number(m[1]))
      const perSlot = (f: number): number => (g.pieces?.ranged ? 1 : Math.ceil(f / PIECE))
      const expected = 1 + (g.pieces?.slots ?? []).reduce((n, f) => n + Math.max(1, perSlot(f)), 0)
      expect(numbers).toEqual(Array.from({ length: expected }, (_, i) => i))
    }
  })

  it('keeps a pieced value alone in its buffer, so every other binds whole', () => {
    const holders = new Map<number, number[]>()
    for (const [id, b] of gpu.buffers.bufferOf) holders.set(b, [...(holders.get(b) ?? []), id])
    for (const [b, ids] of holders) {
      if ((gpu.buffers.sizes[b] ?? 0) > PIECE) expect(ids.length, `buffer ${b}`).toBe(1)
    }
  })

  it('says so when the pieces take more bindings than a kernel has', () => {
    expect(() =>
      planWebGpu(trainingPlan(mnistMlp), { maxBindings: 10, pieceFloats: 4096 }),
    ).toThrow(
      /^webgpu: \w+ %\d+ needs \d+ storage buffers; this device binds at most 10 per kernel \(a value larger than one binding takes one per piece\)$/,
    )
  })

  it('leaves the programs as they were when everything fits one binding', () => {
    const whole = planWebGpu(trainingPlan(mnistMlp), { maxBindings: 10 })
    const roomy = planWebGpu(trainingPlan(mnistMlp), { maxBindings: 10, pieceFloats: 1 << 28 })
    expect(roomy.programs.map((g) => g.wgsl())).toEqual(whole.programs.map((g) => g.wgsl()))
  })
})

describe('optimizer updates side by side', () => {
  // Adam, clipped: each parameter's update waits for every gradient's norm, a kernel alone.
  const plan = trainingPlan(mnistMlp, { clipNorm: 1 })
  const resolve = (gpu: GpuPlan) => (id: number) => gpu.aliases.get(id) ?? id
  const updates = new Set(plan.program.outputs.flatMap((o) => (o.updates ? [o.id] : [])))
  const updating = (gpu: GpuPlan): number =>
    gpu.programs.filter((g) => g.writes.some((id) => updates.has(id))).length

  it('merges as many as the bindings allow, and no more', () => {
    const counts = [10, 12, 40].map((maxBindings) => {
      const gpu = planWebGpu(plan, { maxBindings })
      for (const g of gpu.programs) {
        const bindings = g.reads.length + g.writes.length
        expect(bindings, g.name).toBeLessThanOrEqual(maxBindings)
      }
      return updating(gpu)
    })
    // Four parameters' updates (moments with them), four kernels apart: four at 10 bindings,
    // two at 12, one at 40.
    expect(counts).toEqual([4, 2, 1])
  })

  it('never puts together parts that read what another writes', () => {
    const gpu = planWebGpu(plan, { maxBindings: 40 })
    const inputOf = new Map([...gpu.inPlace].map(([input, output]) => [output, input]))
    for (const k of gpu.kernels) {
      const parts = k.parts ?? []
      for (const a of parts) {
        const reads = kernelReads(a, resolve(gpu))
        for (const b of parts) {
          if (a === b) continue
          for (const w of b.writes) {
            expect(reads.has(w) || reads.has(inputOf.get(w) ?? NaN), kernelName(a)).toBe(false)
          }
        }
      }
    }
  })

  it('keeps each part over its own elements, in whole workgroups', () => {
    const gpu = planWebGpu(plan, { maxBindings: 40 })
    const i = gpu.kernels.findIndex((k) => (k.parts?.length ?? 0) > 1)
    const [g, k] = [gpu.programs[i], gpu.kernels[i]]
    const value = (name: string): number => g?.uniforms.find((u) => u.name === name)?.value ?? NaN
    let start = 0
    k?.parts?.forEach((part, j) => {
      const n = (part.members[0]?.shape ?? []).reduce((a, b) => a * b, 1)
      expect([value(`h${j}_start`), value(`h${j}_n`)]).toEqual([start, n])
      start += Math.ceil(n / 64) * 64
    })
    expect((g?.workgroups[0] ?? 0) * (g?.workgroups[1] ?? 0) * 64).toBeGreaterThanOrEqual(start)
  })
})

it('refuses a model that needs more than a sensible share of the device in all', () => {
  const gpu = planWebGpu(trainingPlan(mnistMlp))
  const limits = { maxBufferSize: 360 * 1024, maxStorageBufferBindingSize: 360 * 1024 }
  expect(() => checkLimits(allocations(gpu), limits)).toThrow(
    /^webgpu: this model needs [\d.]+ MiB on the device, more than the 1\.4 MiB it may take here \(4 × maxBufferSize\); the largest part is param dense1\.weight f32\[128,784\] \(392\.0 KiB\)\. Use a smaller batch or layer\.$/,
  )
})

it('says which layer or update an intermediate buffer belongs to', () => {
  // Clipped: each update waits for every gradient's norm, so the gradients have buffers.
  const what = allocations(planWebGpu(trainingPlan(mnistMlp, { clipNorm: 1 }))).map((a) => a.what)
  expect(what).toContainEqual(
    expect.stringMatching(
      /^value %\d+ \(matmul f32\[128,784\]\), for the update of dense1\.weight$/,
    ),
  )
  expect(what).toContainEqual(
    expect.stringMatching(/^value %\d+ \(\w+ f32\[64,128\]\) of layer dense1$/),
  )
})

describe('the whole step as one dispatch', () => {
  it('puts the spiral step in one module over one arena, every slot apart', () => {
    const gpu = planWebGpu(trainingPlan(spiral), { maxBindings: MAX_BINDINGS, tiledMatmul: false })
    expect(wholeStepRefusal(gpu)).toBeNull()
    const arena = arenaOf(gpu)
    const wgsl = wholeStep(gpu, arena).program.wgsl()
    expect(wgsl).not.toMatch(/\b[rw]\d+\[|\bu\./)
    expect(wgsl.match(/@compute/g)).toHaveLength(1)
    expect(wgsl.match(/\bfn k\d+\(/g)).toHaveLength(gpu.programs.length)
    const slots = gpu.program.inputs.map((i) => arena.offsetOf.get(i.id))
    expect(new Set(slots).size).toBe(slots.length)
    for (const [input, output] of gpu.inPlace) {
      expect(arena.offsetOf.get(output)).toBe(arena.offsetOf.get(input))
    }
  })

  it('packs the arena by lifetime: values alive in the same kernel never share a float', () => {
    const gpu = planWebGpu(trainingPlan(spiral), { maxBindings: MAX_BINDINGS, tiledMatmul: false })
    const arena = arenaOf(gpu)
    const outputs = new Set(gpu.program.outputs.map((o) => o.id))
    const span = new Map<number, [number, number]>()
    gpu.programs.forEach((g, i) => {
      for (const id of g.writes) span.set(id, [i, outputs.has(id) ? Infinity : i])
      for (const id of g.reads) {
        const s = span.get(id)
        if (s !== undefined && s[1] !== Infinity) s[1] = Math.max(s[1], i)
      }
    })
    const floats = (id: number): number =>
      Math.max(
        1,
        gpu.shapeOf(id).reduce((a, b) => a * b, 1),
      )
    const pooled = [...gpu.buffers.bufferOf.keys()]
    let peak = 0
    gpu.programs.forEach((_, i) => {
      const alive = pooled.filter((id) => {
        const s = span.get(id)
        return s !== undefined && s[0] <= i && i <= s[1]
      })
      peak = Math.max(
        peak,
        alive.reduce((n, id) => n + floats(id), 0),
      )
      for (const a of alive) {
        for (const b of alive) {
          if (a === b) continue
          const [oa, ob] = [arena.offsetOf.get(a) ?? NaN, arena.offsetOf.get(b) ?? NaN]
          expect(
            oa + floats(a) <= ob || ob + floats(b) <= oa,
            `%${a} and %${b} in kernel ${i}`,
          ).toBe(true)
        }
      }
    })
    // No packing takes less than the floats alive at once (a slot a value takes far more).
    const inputs = gpu.program.inputs.reduce((n, i) => n + floats(i.id), 0)
    expect(arena.floats - inputs).toBeLessThanOrEqual(peak * 1.1)
  })

  it('puts a barrier between kernels that share a float, and none elsewhere', () => {
    const gpu = planWebGpu(trainingPlan(spiral), { maxBindings: MAX_BINDINGS, tiledMatmul: false })
    const arena = arenaOf(gpu)
    const wgsl = wholeStep(gpu, arena).program.wgsl()
    // The main loop's body, cut at its barriers: which kernels run between two of them.
    const body = wgsl.slice(wgsl.indexOf('fn main('))
    const phases = body.split('storageBarrier();').map((text) => {
      return new Set([...text.matchAll(/\bk(\d+)\(/g)].map((m) => Number(m[1])))
    })
    const phaseOf = (i: number): number => phases.findIndex((p) => p.has(i))
    const span = (id: number): [number, number] => {
      const at = arena.offsetOf.get(id) ?? NaN
      return [
        at,
        at +
          Math.max(
            1,
            gpu.shapeOf(id).reduce((a, b) => a * b, 1),
          ),
      ]
    }
    const meet = (a: number[], b: number[]): boolean =>
      a.some((x) => b.some((y) => span(x)[0] < span(y)[1] && span(y)[0] < span(x)[1]))
    const k = gpu.programs
    for (let j = 0; j < k.length; j++) {
      for (let i = 0; i < j; i++) {
        const [a, b] = [k[i], k[j]]
        if (a === undefined || b === undefined) continue
        const hazard =
          meet([...b.reads], [...a.writes]) ||
          meet([...b.writes], [...a.writes]) ||
          meet([...b.writes], [...a.reads])
        if (hazard) expect(phaseOf(i), `k${i} before k${j}`).toBeLessThan(phaseOf(j))
      }
    }
    // One barrier ends each step; the rest stand only where a kernel waits on another.
    expect(phases.length - 2).toBeLessThan(k.length)
  })

  it('says so when asked for lanes it cannot run on', () => {
    const gpu = planWebGpu(trainingPlan(spiral), { maxBindings: MAX_BINDINGS, tiledMatmul: false })
    const arena = arenaOf(gpu)
    expect(wholeStep(gpu, arena, 64).program.wgsl()).toContain('@workgroup_size(64, 1, 1)')
    for (const lanes of [0, 65, 2.5]) {
      expect(() => wholeStep(gpu, arena, lanes)).toThrow(
        `webgpu: a whole step runs on 1 to 64 lanes, not ${lanes}`,
      )
    }
  })

  it('takes infinite constants, which travel in the uniform block', () => {
    const b = new ProgramBuilder()
    const x = b.input('x', [7, 5])
    b.output('y', b.add(b.maximum(x, -Infinity), b.minimum(x, Infinity)))
    const gpu = planWebGpu(compile(b.build()), { maxBindings: MAX_BINDINGS, tiledMatmul: false })
    expect(wholeStepRefusal(gpu)).toBeNull()
    const wgsl = wholeStep(gpu, arenaOf(gpu)).program.wgsl()
    expect(wgsl).not.toMatch(/inf|Infinity/i)
  })

  it('says why a big graph keeps a dispatch per kernel', () => {
    const gpu = planWebGpu(trainingPlan(convnet), { maxBindings: MAX_BINDINGS, tiledMatmul: false })
    expect(wholeStepRefusal(gpu)).toMatch(/workgroups a step \(at most 256\)/)
  })
})
