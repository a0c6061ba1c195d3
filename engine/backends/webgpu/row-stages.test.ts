// Row reductions chained into one kernel (row-stages.ts): which chain, which stay apart, and
// what the merged kernel still writes. The numbers are checked in Chromium against the CPU
// (e2e/webgpu-vs-cpu.spec.ts, the softmax ops' cases; webgpu-training.spec.ts, every
// classifier's loss curve).

import { describe, expect, it } from 'vitest'
import mnistMlp from '../../../assets/examples/mnist-mlp.json'
import spiral from '../../../assets/examples/spiral.json'
import { parseProject } from '../../io/project-json'
import { ProgramBuilder } from '../../ir'
import { compile } from '../../passes'
import { compileModel } from '../../train/model'
import type { KernelSpec } from './codegen'
import { kernelReads } from './codegen'
import type { GpuPlan } from './gpu-plan'
import { planWebGpu } from './gpu-plan'
import { updatingKernels } from './schedule'

/** Whether k's anchor is a sum or max over its operand's last axis, kept. */
const overRows =
  (gpu: GpuPlan) =>
  (k: KernelSpec): boolean => {
    const e = k.anchor
    if (e?.op !== 'sum' && e?.op !== 'max') return false
    const rank = gpu.shapeOf(e.args[0] ?? -1).length
    return e.attrs.keepdims && e.attrs.axes.join() === String(rank - 1)
  }

describe('row chains', () => {
  it("runs a softmax cross-entropy's three row reductions, and its gradient, as one kernel", () => {
    for (const json of [spiral, mnistMlp]) {
      const r = parseProject(json)
      if (!r.ok) throw new Error(r.errors.join('; '))
      const plan = compileModel(r.project.graph, r.project.training).plan
      for (const tiledMatmul of [false, true]) {
        const gpu = planWebGpu(plan, { maxBindings: 10, tiledMatmul })
        const rows = gpu.kernels.filter(overRows(gpu))
        expect(rows.map((k) => [k.anchor?.op, k.rowStages?.map((s) => s.reduction.op)])).toEqual([
          ['max', ['sum', 'sum']],
        ])
        // It writes the gradient, and the per-row loss the loss report sums; the exponentials
        // and the sums stay inside it.
        const [kernel] = rows
        const readers = gpu.kernels.filter((k) => k !== kernel)
        const resolve = (id: number): number => gpu.aliases.get(id) ?? id
        const read = new Set(readers.flatMap((k) => [...kernelReads(k, resolve)]))
        expect(kernel?.writes.length).toBe(2)
        expect(kernel?.writes.every((id) => read.has(id))).toBe(true)
      }
    }
  })

  it('keeps a reduction that only makes a report out of a kernel every step runs', () => {
    // m feeds an update; the sum of exp(x − m) only a report, which most steps leave out.
    const b = new ProgramBuilder()
    const x = b.input('x', [6, 5])
    const w = b.state('w', [6, 1])
    const m = b.max(x, [1], true)
    b.output('next:w', b.add(w, m), 'w')
    b.output('report', b.sum(b.exp(b.sub(x, m)), [1], true))
    const gpu = planWebGpu(compile(b.build()), { maxBindings: 10 })
    expect(gpu.kernels.filter(overRows(gpu))).toHaveLength(2)
    const updating = updatingKernels(gpu.kernels, gpu.program, (id) => gpu.aliases.get(id) ?? id)
    expect(updating.size).toBe(1)
    // Both only reports: one kernel.
    const c = new ProgramBuilder()
    const y = c.input('x', [6, 5])
    c.output('report', c.softmax(y, 1))
    const chained = planWebGpu(compile(c.build()), { maxBindings: 10 })
    expect(chained.kernels.map((k) => [k.anchor?.op, k.rowStages?.length ?? 0])).toEqual([
      ['max', 1],
    ])
  })
})
