// The WebGPU conformance suite in Node on Dawn, for a machine with a GPU and no browser (the
// Playwright specs, webgpu-vs-cpu and webgpu-training, run the same cases in Chromium): every
// primitive forward and backward against the CPU reference, every program of the zoo compiled,
// the training curves, and sessions stepping and gathering on the device, each judged by the
// bounds in cases.ts. A line per check; exit 1 if any failed, 2 for a bad flag.
//
//   npm run check:gpu -- [--ops=matmul,sum|none] [--curves=0,3|none] [--no-zoo] [--no-sessions]
//
// On a machine without npm, `npm run bench:bundle` writes it as out/bench-node/check.mjs.
import { nodeWebGpu } from '../../engine/backends/webgpu/dawn-node'
import type { OpName } from '../../engine/ir'
import { OP_NAMES, isOpName } from '../../engine/ir'
import {
  CURVES,
  CURVE_TOLERANCE,
  SKIP,
  curveError,
  curveHow,
  opFailures,
  relativeDiff,
} from './cases'
import type { OnDevice } from './device-errors'
import { failingOnErrors } from './device-errors'
import { runOp } from './op-run'
import { loopSteps, sessionGather, trainCurves } from './train-run'
import { compileZoo } from './zoo'

interface Choice {
  readonly ops: readonly OpName[]
  readonly curves: readonly number[]
  readonly zoo: boolean
  readonly sessions: boolean
}

const USAGE = 'usage: check [--ops=NAME,…|none] [--curves=INDEX,…|none] [--no-zoo] [--no-sessions]'

/** The checks the flags ask for, or what is wrong with them. */
function parseChoice(args: readonly string[]): Choice | { error: string } {
  let ops: readonly OpName[] = OP_NAMES
  let curves: readonly number[] = CURVES.map((_, i) => i)
  let [zoo, sessions] = [true, true]
  for (const arg of args) {
    const [flag, value] = arg.split('=', 2) as [string, string | undefined]
    const list = value === 'none' ? [] : (value ?? '').split(',').filter((v) => v !== '')
    if (flag === '--ops' && value !== undefined) {
      const unknown = list.filter((name) => !isOpName(name))
      if (unknown.length > 0) return { error: `--ops: no op named ${unknown.join(', ')}` }
      ops = list.filter(isOpName)
    } else if (flag === '--curves' && value !== undefined) {
      const bad = list.filter((v) => !/^\d+$/.test(v) || Number(v) >= CURVES.length)
      if (bad.length > 0) {
        return { error: `--curves: ${bad.join(', ')} is not 0 to ${CURVES.length - 1}` }
      }
      curves = list.map(Number)
    } else if (arg === '--no-zoo') zoo = false
    else if (arg === '--no-sessions') sessions = false
    else return { error: `unknown flag ${arg}\n${USAGE}` }
  }
  return { ops, curves, zoo, sessions }
}

interface Outcome {
  readonly name: string
  /** What is wrong; empty when it passed. */
  readonly failures: readonly string[]
  readonly detail: string
}

const dispatches = (n: number): string => `${n} dispatch${n === 1 ? '' : 'es'}`

const largest = (xs: readonly number[]): number => xs.reduce((m, x) => Math.max(m, x), 0)

async function checkOp(on: OnDevice, op: OpName): Promise<Outcome> {
  const report = await on((d) => runOp(d, op))
  const errors = report.cases.flatMap((c) => c.tensors.map((t) => t.error))
  const failures = [
    ...(report.cases.length === 0 ? [`${op} has no cases`] : []),
    ...opFailures(report),
  ]
  const detail = `${report.cases.length} cases, largest error ${largest(errors).toExponential(1)}`
  return { name: `${op}: forward and backward`, failures, detail }
}

async function checkZoo(on: OnDevice): Promise<Outcome> {
  const reports = await on((d) => compileZoo(d))
  const failures = reports.flatMap((r) =>
    r.problems.map((p) => `${r.graph}: ${p.program}: ${p.messages.join('; ')}`),
  )
  const programs = reports.reduce((n, r) => n + r.programs, 0)
  return { name: 'the zoo compiles', failures, detail: `${programs} programs` }
}

async function checkCurve(on: OnDevice, index: number): Promise<Outcome> {
  const [model, steps, options = {}] = CURVES[index] ?? []
  if (model === undefined || steps === undefined) throw new Error(`no curve ${index}`)
  const r = await on((d) => trainCurves(d, model, steps, options))
  const worst = curveError(r)
  const failures = [
    ...(r.gpu.length === steps ? [] : [`${r.gpu.length} losses for ${steps} steps`]),
    ...(worst.error <= CURVE_TOLERANCE ? [] : [`${worst.error.toExponential(1)} at ${worst.at}`]),
  ]
  const detail =
    `${r.kernels} kernels in ${dispatches(r.dispatchesPerStep)}, ` +
    `largest error ${worst.error.toExponential(1)}, ${r.gpuMs.toFixed(0)} ms`
  return { name: `${model}${curveHow(options)}: ${steps} steps`, failures, detail }
}

/** Bounds one [webgpu, cpu] pair; a failure line when past CURVE_TOLERANCE. */
const pairFailure = (what: string, [gpu, cpu]: readonly number[]): string[] =>
  relativeDiff(gpu, cpu) <= CURVE_TOLERANCE ? [] : [`${what}: gpu ${gpu} cpu ${cpu}`]

async function checkSessions(on: OnDevice): Promise<Outcome[]> {
  const out: Outcome[] = []
  for (const whole of [true, false]) {
    const r = await on((d) => loopSteps(d, 50, whole))
    const failures = [
      ...pairFailure('loss', r.loss),
      ...r.checks.flatMap((pair, i) => pairFailure(`check ${i}`, pair)),
      ...(r.weightError <= CURVE_TOLERANCE ? [] : [`weights off by ${r.weightError}`]),
    ]
    const name = `50 steps on a fixed batch (${whole ? 'one dispatch asked' : 'a dispatch per kernel'})`
    out.push({ name, failures, detail: `${dispatches(r.dispatchesPerStep)} a step` })
  }
  for (const model of ['spiral', 'mnist-mlp'] as const) {
    const r = await on((d) => sessionGather(d, model, 60))
    const failures = [
      ...(r.steps.every((s) => s === 60) ? [] : [`steps ${r.steps.join(' / ')}`]),
      ...pairFailure('loss', r.loss),
      ...(r.weightError <= CURVE_TOLERANCE ? [] : [`weights off by ${r.weightError}`]),
    ]
    const detail = `${r.gathers ? 'gathered' : 'uploaded'} batches, loss ${r.loss.join(' / ')}`
    out.push({ name: `${model}: a session of 60 steps`, failures, detail })
  }
  return out
}

/** A check, with what to call it if it throws (a device error, a refused program). */
type Check = readonly [string, () => Promise<Outcome | Outcome[]>]

function checksFor(choice: Choice, on: OnDevice): Check[] {
  const opCheck = (op: OpName): Promise<Outcome> => {
    const skip = SKIP[op]
    if (skip !== undefined) return Promise.resolve({ name: op, failures: [], detail: skip })
    return checkOp(on, op)
  }
  return [
    ...choice.ops.map((op): Check => [op, () => opCheck(op)]),
    ...(choice.zoo ? [['the zoo', () => checkZoo(on)] as const] : []),
    ...choice.curves.map((i): Check => [`curve ${i}`, () => checkCurve(on, i)]),
    ...(choice.sessions ? [['sessions', () => checkSessions(on)] as const] : []),
  ]
}

/** Prints an outcome's line, and its first failures. */
function print(o: Outcome): void {
  console.log(`${o.failures.length === 0 ? 'PASS' : 'FAIL'} ${o.name}: ${o.detail}`)
  for (const f of o.failures.slice(0, 5)) console.log(`       ${f}`)
  if (o.failures.length > 5) console.log(`       and ${o.failures.length - 5} more`)
}

async function main(): Promise<number> {
  const choice = parseChoice(process.argv.slice(2))
  if ('error' in choice) {
    console.error(choice.error)
    return 2
  }
  const gpu = await nodeWebGpu()
  if ('reason' in gpu) {
    console.error(gpu.reason)
    return 1
  }
  console.log(`WebGPU against the CPU reference, in Node on Dawn (adapter: ${gpu.adapter})`)
  const on = failingOnErrors(gpu.device)
  let [passed, failed] = [0, 0]
  for (const [name, check] of checksFor(choice, on)) {
    let outcomes: Outcome[]
    try {
      outcomes = [await check()].flat()
    } catch (err) {
      outcomes = [{ name, failures: [String(err)], detail: 'threw' }]
    }
    for (const o of outcomes) {
      print(o)
      if (o.failures.length === 0) passed++
      else failed++
    }
  }
  console.log(`${passed} passed, ${failed} failed`)
  gpu.device.destroy()
  return failed === 0 ? 0 : 1
}

process.exitCode = await main()
