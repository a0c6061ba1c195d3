// Layer goldens made by scripts/goldens/make_layer_goldens.py (PyTorch, float64): reads and
// checks the files, rebuilds each case's graph, lowers it and runs it on the CPU backend with
// the golden's parameters, returning every output the golden names and the gradients.
import { readdirSync, readFileSync } from 'node:fs'
import { z } from 'zod'
import { grad } from '../../autodiff'
import { createCpuExecutable } from '../../backends/cpu'
import type { GraphEdge, ModelGraph } from '../../graph/model-graph'
import { chain } from '../../graph/test-graphs'
import type { Program, Value } from '../../ir'
import { ProgramBuilder } from '../../ir'
import { lowerGraph } from '../../lower/lower-graph'
import { compile } from '../../passes'

const GOLDENS = new URL('../goldens/layers/', import.meta.url)
/** The scalar whose gradients the goldens hold. */
export const OBJECTIVE = 'objective'

const Tensor = z
  .object({ shape: z.array(z.number().int().nonnegative()), data: z.array(z.number()) })
  .refine((t) => t.data.length === t.shape.reduce((a, b) => a * b, 1), 'data does not fit shape')
const Tensors = z.record(z.string(), Tensor)

const GoldenSchema = z.object({
  case: z.string(),
  layer: z.string(),
  batch: z.number().int().positive(),
  training: z.boolean(),
  nodes: z.array(
    z.tuple([
      z.string(),
      z.string(),
      z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
    ]),
  ),
  /** [from node, port, to node, port]; absent: a chain. */
  edges: z.array(z.tuple([z.string(), z.string(), z.string(), z.string()])).optional(),
  /** The loss output, or sum(output · r). */
  objective: z.object({ output: z.string(), r: Tensor.optional() }),
  inputs: Tensors,
  params: Tensors,
  state: Tensors.optional(),
  /** Program outputs by name: 'node:layer', 'loss', 'next:<state>'. */
  expected: Tensors,
  /** d objective / d input, by input name. */
  grads: Tensors,
})

export type GoldenTensor = z.infer<typeof Tensor>
export type Golden = z.infer<typeof GoldenSchema>

export function loadGoldens(): Golden[] {
  return readdirSync(GOLDENS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const parsed = GoldenSchema.safeParse(JSON.parse(readFileSync(new URL(f, GOLDENS), 'utf8')))
      if (!parsed.success) throw new Error(`${f}: ${parsed.error.message}`)
      return parsed.data
    })
}

export function goldenGraph(g: Golden): ModelGraph {
  const graph = chain(g.nodes)
  if (g.edges === undefined) return graph
  const edges: GraphEdge[] = g.edges.map(([from, fromPort, to, toPort], i) => ({
    id: `e${i + 1}`,
    source: { node: from, port: fromPort },
    target: { node: to, port: toPort },
  }))
  return { ...graph, edges }
}

/** The lowered layer with one more output, the objective (no gradients yet). */
export function objectiveProgram(g: Golden): Program {
  const probe = g.objective.output.startsWith('node:') ? [g.objective.output.slice(5)] : []
  const lowered = lowerGraph(goldenGraph(g), {
    batch: g.batch,
    training: g.training,
    seed: 1,
    probe,
  })
  const b = new ProgramBuilder(lowered.program)
  const y = b.named(g.objective.output)
  const r = g.objective.r
  const objective: Value = r
    ? b.sum(
        b.mul(y, b.constant('r', r.shape, r.data)),
        y.shape.map((_, i) => i),
      )
    : y
  b.output(OBJECTIVE, objective)
  return b.build()
}

/** Values for every program input the golden sets: data, targets, parameters and state. */
export function goldenValues(g: Golden): Record<string, readonly number[]> {
  const all = { ...g.inputs, ...g.params, ...(g.state ?? {}) }
  return Object.fromEntries(Object.entries(all).map(([k, t]) => [k, t.data]))
}

/** Runs forward and backward once; outputs by name, gradients as 'grad:<input>'. */
export function runGolden(g: Golden, dtype: 'float32' | 'float64'): Record<string, number[]> {
  const program = grad(objectiveProgram(g), { loss: OBJECTIVE, wrt: Object.keys(g.grads) })
  const exe = createCpuExecutable(compile(program), { dtype })
  for (const [name, data] of Object.entries(goldenValues(g))) exe.write(name, data)
  const out = exe.run()
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v)]))
}

/** Everything a golden expects, as [output name, tensor]: outputs, then 'grad:' outputs. */
export function expectations(g: Golden): [string, GoldenTensor][] {
  return [
    ...Object.entries(g.expected),
    ...Object.entries(g.grads).map(([k, t]): [string, GoldenTensor] => [`grad:${k}`, t]),
  ]
}

/**
 * Elements where |got − want| > tol·max(1, |want|), labelled, at most `limit` per output;
 * `worst` receives the largest such ratio, for reports.
 */
export function mismatches(
  g: Golden,
  got: Record<string, number[]>,
  tol: number,
  limit = 4,
): { failures: string[]; worst: number } {
  const failures: string[] = []
  let worst = 0
  for (const [name, want] of expectations(g)) {
    const values = got[name]
    if (values?.length !== want.data.length) {
      failures.push(`${name}: got ${values?.length ?? 'no'} values, want ${want.data.length}`)
      continue
    }
    let bad = 0
    want.data.forEach((w, i) => {
      const v = values[i] ?? NaN
      const err = Math.abs(v - w) / Math.max(1, Math.abs(w))
      worst = Math.max(worst, Number.isNaN(err) ? Infinity : err)
      if (!(err <= tol) && bad++ < limit) failures.push(`${name}[${i}]: got ${v}, want ${w}`)
    })
  }
  return { failures, worst }
}
