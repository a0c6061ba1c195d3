// The WebAssembly SIMD kernels against the JavaScript reference kernels they stand in for:
// matmul in every transpose form on awkward sizes (within float32 accumulation error), and
// elementwise ops, where, and sums bit for bit (any NaN equal to any other), special values
// included. Also: the committed
// module bytes are what the *-wat.ts sources assemble to.

import { describe, expect, it } from 'vitest'
import type { OpAttrs, OpName, Shape } from '../../ir'
import { numel } from '../../ir'
import { assembleCpuKernels, kernelsWasmSource } from '../../../scripts/cpu-wasm-assemble'
import type { Fused } from './fusion'
import { fusedStep } from './fusion'
import { KERNELS } from './kernels'
import type { Buf, WasmContext } from './types'
import { GEMM_WORKSPACE } from './wasm/gemm-wat'
import { KERNELS_WASM, KERNELS_WASM_SHARED } from './wasm/kernels-wasm'
import { instantiate } from './wasm/runtime'

const SIZES = [1, 7, 63, 65, 1000]

/** A wasm context with room for `floats` floats of operands after the gemm workspace. */
function context(floats: number): { ctx: WasmContext; alloc: (n: number) => Float32Array } {
  const instance = instantiate(4 * (GEMM_WORKSPACE + floats + 1024), false)
  if (instance === null) throw new Error('WebAssembly kernels did not load')
  let top = GEMM_WORKSPACE
  const alloc = (n: number): Float32Array => {
    const view = new Float32Array(instance.memory.buffer, 4 * top, n)
    top += Math.ceil(n / 4) * 4
    return view
  }
  return { ctx: { instance, workspace: 0, team: null, forceSimd: true }, alloc }
}

function fill(b: Buf, seed: number, special = false): void {
  let s = seed
  const odd = [NaN, 0, -0, Infinity, -Infinity, 1, -1]
  for (let i = 0; i < b.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    b[i] = special && i % 5 === 0 ? (odd[(s >>> 8) % odd.length] ?? 0) : s / 2 ** 31 - 1
  }
}

/** Runs one kernel on wasm-resident buffers, with the wasm context and without it. */
function both<K extends OpName>(op: K, shapes: readonly Shape[], out: Shape, attrs: OpAttrs[K]) {
  const total = [...shapes, out].reduce((n, s) => n + numel(s) + 4, 0)
  const { ctx, alloc } = context(2 * total)
  const args = shapes.map((s, i) => {
    const b = alloc(numel(s))
    fill(b, 11 + i, op !== 'matmul')
    return b
  })
  const run = (wasm: WasmContext | null): Float32Array => {
    const o = alloc(numel(out))
    const io = { attrs, argShapes: shapes, outShape: out, out: o, args, wasm }
    KERNELS[op]({ ...io, scratch: (n: number) => new Float32Array(n) })()
    return o
  }
  return { simd: run(ctx), js: run(null) }
}

/** The exact bits of each value; every NaN counts as one (x86 and JavaScript differ in sign). */
const bits = (a: Float32Array): number[] =>
  Array.from(new Uint32Array(a.map((x) => (Number.isNaN(x) ? NaN : x)).buffer))

describe('SIMD matmul against the JavaScript gemm', () => {
  const cases = SIZES.flatMap((M) =>
    SIZES.flatMap((N) => SIZES.map((K) => [M, N, K] as const)),
  ).filter(([M, N, K]) => M * N * K <= 5e6)
  const forms = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const
  it.each(forms)('transposeA %s, transposeB %s, on every awkward size', (tA, tB) => {
    for (const [M, N, K] of cases) {
      const a = tA ? [K, M] : [M, K]
      const b = tB ? [N, K] : [K, N]
      const { simd, js } = both('matmul', [a, b], [M, N], { transposeA: tA, transposeB: tB })
      const scale = Math.sqrt(K) * 1e-6 + 1e-6
      const worst = js.reduce((w, x, i) => Math.max(w, Math.abs(x - (simd[i] ?? NaN))), 0)
      expect(worst, `${M}×${N}×${K}`).toBeLessThan(scale * 4)
    }
  })
})

describe('SIMD elementwise kernels match the JavaScript ones bit for bit', () => {
  const binary = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'cmp_gt'] as const
  it.each(binary)('%s: same shape, scalar either side, repeated row', (op) => {
    for (const n of SIZES) {
      for (const [sa, sb] of [
        [[n], [n]],
        [[n], []],
        [[], [n]],
        [[3, n], [n]],
      ] as const) {
        const out = sa.length >= sb.length ? sa : sb
        const { simd, js } = both(op, [sa, sb], out, {})
        expect(bits(simd), `${op} ${sa} ${sb}`).toEqual(bits(js))
      }
    }
  })
  it.each(['neg', 'abs', 'sqrt'] as const)('%s', (op) => {
    for (const n of SIZES) {
      const { simd, js } = both(op, [[n]], [n], {})
      expect(bits(simd)).toEqual(bits(js))
    }
  })
  it('where, with a scalar on either side', () => {
    for (const n of SIZES) {
      for (const [a, b] of [
        [[n], [n]],
        [[], [n]],
        [[n], []],
      ] as const) {
        const { simd, js } = both('where', [[n], a, b], [n], {})
        expect(bits(simd), `${a} ${b}`).toEqual(bits(js))
      }
    }
  })
  it('sum over leading, middle and trailing axes', () => {
    for (const [shape, axes] of [
      [[1000, 8], [0]],
      [[7, 65, 64], [1]],
      [[65, 63], [1]],
      [[1000], [0]],
      [[1, 4], [0]],
      [[7, 4], [0]],
    ] as const) {
      const out = shape.filter((_, d) => !(axes as readonly number[]).includes(d))
      const { simd, js } = both('sum', [shape], out, { axes, keepdims: false })
      expect(bits(simd), `${shape} over ${axes}`).toEqual(bits(js))
    }
  })
})

describe('the fused update a ± s·g matches its JavaScript loop bit for bit', () => {
  const forms = [
    ['a + s·g', 'add', false],
    ['a − s·g', 'sub', false],
    ['s·g − a', 'sub', true],
  ] as const
  it.each(forms)('%s', (_, op, scaledFirst) => {
    for (const n of SIZES) {
      const { ctx, alloc } = context(4 * n + 64)
      const [a, s, g] = [alloc(n), alloc(1), alloc(n)]
      fill(a, 3, true)
      fill(g, 4, true)
      s[0] = 0.37
      const bufs = new Map([
        [0, a],
        [1, s],
        [2, g],
      ])
      const f: Fused = { kind: 'axpy', op, a: 0, s: 1, g: 2, scaledFirst }
      const run = (wasm: WasmContext | null): Float32Array => {
        const o = alloc(n)
        fusedStep(f, (id) => bufs.get(id) ?? o, o, wasm)()
        return o
      }
      expect(bits(run(ctx)), `n=${n}`).toEqual(bits(run(null)))
    }
  })
})

describe('the committed WebAssembly', () => {
  it('is what the *-wat.ts sources assemble to (npx tsx scripts/build-cpu-wasm.ts)', async () => {
    const source = kernelsWasmSource(await assembleCpuKernels())
    expect(source).toContain(`'${KERNELS_WASM}'`)
    expect(source).toContain(`'${KERNELS_WASM_SHARED}'`)
  })
})
