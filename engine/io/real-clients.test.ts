// REAL CLIENTS: the exported files in the tools people use. Debian's python3-torch runs each
// generated module with its safetensors weights, onnxruntime-node runs each ONNX file, and
// python3-onnx's checker accepts it; all must give the studio's predictions on 100 inputs.
// The files are written as the CLI and the studio write them (writeExport). A model trained on a
// standardised CSV gets the raw rows, as the studio does: its exports must standardise them.
// One graph's names are hostile: the project's would be code in a careless .py file, and node
// ids are the ONNX exporter's own tensor names. A client that cannot be loaded is reported as
// skipped, with the reason printed.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as Ort from 'onnxruntime-node'
import { beforeAll, describe, expect, it } from 'vitest'
import { chain } from '../graph/test-graphs'
import { createRng } from '../util/rng'
import type { ExportCase } from './export-cases-node'
import {
  COUNT,
  embeddingCase,
  everyLayerCase,
  predict,
  randomWeights,
  trainedCsv,
  trainedSample,
} from './export-cases-node'
import { writeExport } from './export-files-node'
import { ONNX_OUTPUT } from './onnx'

type OnnxRuntime = typeof Ort

/** Debian's interpreter: the python3 first on PATH may be another build without its packages. */
const PYTHON = process.env.DENDRITE_PYTHON ?? '/usr/bin/python3'
const TOLERANCE = 1e-5

interface ClientReport {
  ok?: boolean
  skipped?: string
  version?: string
  problems?: Record<string, string>
}

const dir = mkdtempSync(join(tmpdir(), 'dendrite-clients-'))
let cases: ExportCase[] = []
let python: { torch: ClientReport; onnx: ClientReport } | { skipped: string }
/** What python3 printed before its report: the modules print nothing when imported. */
let printed = ''

function filesOf(c: ExportCase) {
  const base = join(dir, c.name.replace(/\W/g, '_'))
  return {
    module: `${base}.py`,
    weights: `${base}.safetensors`,
    onnx: `${base}.onnx`,
    inputs: `${base}.inputs.f32`,
    torch_out: `${base}.torch.f32`,
  }
}

/** The .onnx file, and the .py module with its .safetensors beside it; the inputs as f32. */
async function exportCase(c: ExportCase): Promise<void> {
  const f = filesOf(c)
  const source = { graph: c.graph, weights: c.weights, name: c.name }
  await writeExport(f.onnx, { ...source, normalization: c.normalization })
  await writeExport(f.module, { ...source, normalization: c.normalization })
  writeFileSync(f.inputs, new Uint8Array(c.inputs.buffer, c.inputs.byteOffset, c.inputs.byteLength))
}

/**
 * A project whose name would be code in a careless .py file, and node ids that are the ONNX
 * exporter's own tensor names (the output's, a GELU constant's, a Dense's intermediate and
 * weight) or not Python (quotes, a line break).
 */
function hostileNamesCase(): ExportCase {
  const graph = chain([
    ['prediction', 'input', { shape: '2, 3' }],
    ['d"""1', 'dense', { units: 3 }],
    ['d"""1/matmul', 'gelu'],
    ['const:0.5', 'gelu', { approximate: 'tanh' }],
    ['d"""1.weight', 'relu'],
    ['flat', 'flatten'],
    ['a\nb', 'dense', { units: 2 }],
    ['loss', 'mse'],
  ])
  const weights = randomWeights(graph, 5)
  const rng = createRng(11)
  const inputs = Float32Array.from({ length: COUNT * 6 }, () => rng.normal())
  return {
    name: 'XOR""";print("INJECTED");""" C:\\Users\\x',
    graph,
    weights,
    inputs,
    inputShape: [COUNT, 2, 3],
    predictions: predict(graph, weights, inputs),
  }
}

function runPython(): typeof python {
  const job = join(dir, 'cases.json')
  const list = cases.map((c) => ({ name: c.name, shape: c.inputShape, ...filesOf(c) }))
  writeFileSync(job, JSON.stringify(list))
  const script = join(import.meta.dirname, 'real-clients.py')
  const r = spawnSync(PYTHON, [script, job], { encoding: 'utf8', timeout: 120_000 })
  if (r.error) return { skipped: `${PYTHON} cannot run: ${r.error.message}` }
  if (r.status !== 0) return { skipped: `${PYTHON} failed: ${r.stderr.trim().split('\n').at(-1)}` }
  const lines = r.stdout.trim().split('\n')
  printed = lines.slice(0, -1).join('\n')
  return JSON.parse(lines.at(-1) ?? '{}') as typeof python
}

/**
 * Largest absolute difference, and the largest relative to max(1, |studio value|): the test's
 * measure, so logits of 10 may differ by 1e-4 while probabilities must agree to 1e-5.
 */
function agreement(studio: Float32Array, other: Float32Array) {
  expect(other.length).toBe(studio.length)
  let abs = 0
  let rel = 0
  let peak = 0
  studio.forEach((v, i) => {
    const d = Math.abs(v - (other[i] ?? NaN))
    abs = Math.max(abs, Number.isNaN(d) ? Infinity : d)
    rel = Math.max(rel, Number.isNaN(d) ? Infinity : d / Math.max(1, Math.abs(v)))
    peak = Math.max(peak, Math.abs(v))
  })
  const text =
    `max |Δ| ${abs.toExponential(2)}, relative ${rel.toExponential(2)}, ` +
    `|y| ≤ ${peak.toFixed(2)}`
  return { rel, text }
}

function readF32(path: string): Float32Array {
  const b = readFileSync(path)
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
}

function skip(ctx: { skip: (note?: string) => void }, why: string): void {
  console.warn(`real clients: SKIPPED — ${why}`)
  ctx.skip(why)
}

describe('real clients (python3-torch, onnxruntime-node, onnx.checker)', () => {
  beforeAll(async () => {
    const started = performance.now()
    cases = [
      await trainedSample('xor.json', 100),
      await trainedSample('mnist-convnet.json', 120),
      trainedCsv(100),
      everyLayerCase(),
      embeddingCase(),
      hostileNamesCase(),
    ]
    for (const c of cases) await exportCase(c)
    const trained = performance.now()
    python = runPython()
    console.log(
      `real clients: studio ${((trained - started) / 1000).toFixed(1)} s, ` +
        `python ${((performance.now() - trained) / 1000).toFixed(1)} s`,
    )
  }, 120_000)

  it('PyTorch loads each generated module and its safetensors and predicts the same', (ctx) => {
    if ('skipped' in python) return skip(ctx, python.skipped)
    if (python.torch.skipped !== undefined) return skip(ctx, python.torch.skipped)
    for (const c of cases) {
      const { rel, text } = agreement(c.predictions, readF32(filesOf(c).torch_out))
      console.log(`torch ${python.torch.version}: ${c.name} ${text}`)
      expect(rel, c.name).toBeLessThanOrEqual(TOLERANCE)
    }
    expect(cases.filter((c) => c.normalization).map((c) => c.name)).toEqual(['csv-standardised'])
    expect(printed).toBe('')
  })

  it('onnxruntime-node runs each ONNX file and predicts the same', async (ctx) => {
    let ort: OnnxRuntime
    try {
      ort = await import('onnxruntime-node')
    } catch (err) {
      return skip(ctx, `onnxruntime-node cannot be loaded: ${String(err)}`)
    }
    for (const c of cases) {
      const session = await ort.InferenceSession.create(filesOf(c).onnx)
      const input = new ort.Tensor('float32', c.inputs, [...c.inputShape])
      const name = session.inputNames[0] ?? ''
      const out = (await session.run({ [name]: input }))[ONNX_OUTPUT]
      const { rel, text } = agreement(c.predictions, out?.data as Float32Array)
      console.log(`onnxruntime: ${c.name} ${text}`)
      expect(rel, c.name).toBeLessThanOrEqual(TOLERANCE)
      await session.release()
    }
  })

  it("python3-onnx's checker accepts each ONNX file", (ctx) => {
    if ('skipped' in python) return skip(ctx, python.skipped)
    if (python.onnx.skipped !== undefined) return skip(ctx, python.onnx.skipped)
    console.log(`onnx ${python.onnx.version}: checker on ${cases.length} models`)
    expect(python.onnx.problems).toEqual({})
  })
})
