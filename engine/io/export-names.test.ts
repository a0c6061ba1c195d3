// Names the user chose (the project's, node ids, file names) in the exported files. The ONNX
// graph stays in SSA form, each tensor name made by one producer, whatever the ids are; the
// PyTorch module holds them only as the values of string literals, never as code. python3, where
// it runs, parses each generated module (ast alone: no torch needed).
// (real-clients.test.ts runs a graph with such names in PyTorch, ONNX Runtime and onnx.checker.)
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ModelGraph } from '../graph/model-graph'
import type { NodeDraft } from '../graph/test-graphs'
import { chain } from '../graph/test-graphs'
import { randomWeights } from './export-cases-node'
import { ONNX_OUTPUT, toOnnx } from './onnx'
import { modelProto } from './onnx-schema'
import type { PytorchOptions } from './pytorch'
import { pyDocstring, pyString, toPytorch } from './pytorch'

interface Decoded {
  graph: {
    node: { opType: string; input: string[]; output: string[]; name: string }[]
    initializer: { name: string }[]
    input: { name: string }[]
    output: { name: string }[]
  }
}

function decode(bytes: Uint8Array): Decoded {
  const type = modelProto()
  return type.toObject(type.decode(bytes), { longs: Number, defaults: true }) as Decoded
}

/** What breaks SSA form: a name made twice, a tensor read before it is made, an output unmade. */
function ssaProblems({ graph }: Decoded): string[] {
  const problems: string[] = []
  const made = new Set<string>()
  const make = (name: string, by: string) => {
    if (made.has(name)) problems.push(`${by} makes "${name}" again`)
    made.add(name)
  }
  for (const i of graph.input) make(i.name, 'input')
  for (const t of graph.initializer) make(t.name, 'initializer')
  for (const n of graph.node) {
    for (const i of n.input) if (!made.has(i)) problems.push(`${n.opType} reads unmade "${i}"`)
    for (const o of n.output) make(o, n.opType)
  }
  for (const o of graph.output) if (!made.has(o.name)) problems.push(`no one makes "${o.name}"`)
  return problems
}

const onnxOf = (g: ModelGraph, normalization?: { mean: number[]; std: number[] }) =>
  decode(toOnnx(g, randomWeights(g, 1), normalization ? { normalization } : {}))
const ops = (m: Decoded) => m.graph.node.map((n) => [n.opType, n.input, n.output])

/** Graphs whose ids are the exporter's own names: its output's, its inputs', its constants'. */
const clashing: Record<string, NodeDraft[]> = {
  'a node called prediction': [
    ['input', 'input', { shape: '2' }],
    ['dense1', 'dense', { units: 4 }],
    ['prediction', 'tanh'],
    ['out', 'dense', { units: 2 }],
    ['loss', 'mse'],
  ],
  'the Input called prediction': [
    ['prediction', 'input', { shape: '2' }],
    ['d', 'dense', { units: 3 }],
    ['l', 'mse'],
  ],
  'the output node called prediction': [
    ['input', 'input', { shape: '2' }],
    ['prediction', 'dense', { units: 3 }],
    ['l', 'mse'],
  ],
  'the Input as the output, called prediction': [
    ['prediction', 'input', { shape: '2' }],
    ['l', 'mse'],
  ],
  'ids named as GELU constants': [
    ['input', 'input', { shape: '2' }],
    ['d', 'dense', { units: 3 }],
    ['const:0.5', 'gelu'],
    ['const:1', 'gelu', { approximate: 'tanh' }],
    ['g', 'gelu'],
    ['l', 'mse'],
  ],
  'ids named as intermediates and weights': [
    ['input', 'input', { shape: '2, 3' }],
    ['d', 'dense', { units: 3 }],
    ['d/matmul', 'relu'],
    ['d.weight', 'silu'],
    ['e/weight_t', 'layer-norm', { affine: false }],
    ['e', 'dense', { units: 3 }],
    ['e/ones', 'mish'],
    ['r/shape', 'flatten'],
    ['r', 'reshape', { shape: '2, 3' }],
    ['tail', 'softsign'],
    ['l', 'mse'],
  ],
  'ids named as the standardisation': [
    ['input_centred', 'input', { shape: '2' }],
    ['input_mean', 'relu'],
    ['input_standardized', 'dense', { units: 2 }],
    ['l', 'mse'],
  ],
}

describe('ONNX tensor names', () => {
  for (const [what, drafts] of Object.entries(clashing)) {
    it(`are unique with ${what}`, () => {
      const g = chain(drafts)
      expect(ssaProblems(onnxOf(g))).toEqual([])
      const size = String(drafts[0]?.[2]?.shape)
        .split(',')
        .reduce((a, d) => a * Number(d), 1)
      const normalization = { mean: Array<number>(size).fill(0), std: Array<number>(size).fill(2) }
      expect(ssaProblems(onnxOf(g, normalization))).toEqual([])
      const { graph } = onnxOf(g)
      expect(graph.output.map((o) => o.name)).toEqual([ONNX_OUTPUT])
      const names = graph.node.map((n) => n.name)
      expect(new Set(names).size).toBe(names.length)
    })
  }

  it('keep node ids where they are free; the exporter gives way, with a suffix', () => {
    const renamed = onnxOf(chain(clashing['a node called prediction'] ?? []))
    expect(ops(renamed)).toEqual([
      ['Gemm', ['input', 'dense1.weight', 'dense1.bias'], ['dense1']],
      ['Tanh', ['dense1'], ['prediction_2']],
      ['Gemm', ['prediction_2', 'out.weight', 'out.bias'], [ONNX_OUTPUT]],
    ])
    const input = onnxOf(chain(clashing['the Input called prediction'] ?? []))
    expect(input.graph.input.map((i) => i.name)).toEqual(['prediction_2'])
    expect(ops(input)).toEqual([['Gemm', ['prediction_2', 'd.weight', 'd.bias'], [ONNX_OUTPUT]]])
    const gelu = onnxOf(chain(clashing['ids named as GELU constants'] ?? []))
    const nodeOutputs = gelu.graph.node.map((n) => n.output[0])
    expect(nodeOutputs).toContain('const:0.5')
    expect(nodeOutputs).toContain('const:1')
    expect(gelu.graph.initializer.map((t) => t.name)).toEqual(
      expect.arrayContaining(['const:0.5_2', 'const:1_2']),
    )
    const mid = onnxOf(chain(clashing['ids named as intermediates and weights'] ?? []))
    expect(mid.graph.node.filter((n) => n.opType === 'Relu').map((n) => n.output)).toEqual([
      ['d/matmul'],
    ])
    expect(mid.graph.node.map((n) => n.output[0])).toEqual(
      expect.arrayContaining(['d/matmul_2', 'd.weight_2', 'e/weight_t', 'e/weight_t_2', 'r/shape']),
    )
    expect(mid.graph.initializer.map((t) => t.name)).toContain('r/shape_2')
  })

  it('name the standardisation apart from the nodes', () => {
    const g = chain(clashing['ids named as the standardisation'] ?? [])
    const model = onnxOf(g, { mean: [0, 1], std: [1, 2] })
    expect(model.graph.input.map((i) => i.name)).toEqual(['input_centred'])
    expect(ops(model).slice(0, 3)).toEqual([
      ['Sub', ['input_centred', 'input_mean_2'], ['input_centred_2']],
      ['Div', ['input_centred_2', 'input_std'], ['input_standardized_2']],
      ['Relu', ['input_standardized_2'], ['input_mean']],
    ])
  })
})

/**
 * A Python source's code with every string literal replaced by S and every comment by #, and
 * the literals' bodies; throws where a literal does not end on its line (or at all).
 */
function tokens(source: string): { code: string; literals: string[] } {
  let code = ''
  const literals: string[] = []
  let i = 0
  while (i < source.length) {
    const c = source[i] ?? ''
    if (c === '#') {
      const end = source.indexOf('\n', i)
      code += '#'
      i = end < 0 ? source.length : end
    } else if (c === '"' || c === "'") {
      const quote = source.startsWith(c.repeat(3), i) ? c.repeat(3) : c
      const end = literalEnd(source, i + quote.length, quote)
      literals.push(source.slice(i + quote.length, end))
      code += 'S'
      i = end + quote.length
    } else {
      code += c
      i++
    }
  }
  return { code, literals }
}

/** Where the literal whose body starts at `from` ends (its closing quote). */
function literalEnd(source: string, from: number, quote: string): number {
  let j = from
  while (!source.startsWith(quote, j)) {
    if (j >= source.length) throw new Error(`a literal at ${from} does not end`)
    if (quote.length === 1 && source[j] === '\n') throw new Error(`a literal at ${from} breaks`)
    j += source[j] === '\\' ? 2 : 1
  }
  return j
}

/** A Python literal body's value, for the escapes pyString and pyDocstring write. */
function value(body: string): string {
  return body.replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|[\\"'ntr])/g, (_, e: string) => {
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r' }
    if (e.length === 1) return simple[e] ?? e
    return String.fromCodePoint(parseInt(e.slice(1), 16))
  })
}

const HOSTILE = [
  'XOR""";print("INJECTED");"""',
  'C:\\Users\\x',
  'it\'s "quoted"',
  '"',
  'ends in a backslash\\',
  'two\nlines"""\nprint("INJECTED")',
  'separators \u2028 \u2029 \u0085 tab\t nul\0',
  'bidi \u202eDETCEJNI',
  'brain 🧠 and a lone \ud800 half',
]

const mlp = chain([
  ['input', 'input', { shape: '3' }],
  ['dense1', 'dense', { units: 4 }],
  ['act', 'relu'],
  ['out', 'dense', { units: 2 }],
  ['loss', 'mse'],
])

/** Node ids that are not Python, one with weights; each reaches the module as a string. */
const hostileIds = chain([
  ['in"""put', 'input', { shape: '3' }],
  ['d"""1', 'dense', { units: 4 }],
  ['act"""1', 'tanh'],
  ['a\nb\\', 'relu'],
  ["print('INJECTED')#", 'sigmoid'],
  ['', 'identity'],
  ['\u2028', 'dense', { units: 2 }],
  ['loss', 'mse'],
])

describe('PyTorch export of user text', () => {
  it('writes string literals whose value is the text, for any text', () => {
    for (const text of [...HOSTILE, '', 'plain']) {
      const literal = pyString(text)
      const { code, literals } = tokens(literal)
      expect(code).toBe('S')
      expect(value(literals[0] ?? '')).toBe(text)
      expect(literal).not.toMatch(/[\n\r\0\u2028\u2029\u0085\u202e]/)
      const doc = tokens(pyDocstring(text))
      expect(doc.code).toBe('S')
      expect(value(doc.literals[0] ?? '')).toBe(text)
    }
    expect(pyString('C:\\Users\\x')).toBe('"C:\\\\Users\\\\x"')
    expect(pyString('🧠')).toBe('"🧠"')
    expect(pyDocstring('say "hi" or ""')).toBe('"""say "hi" or \\"\\""""')
  })

  it('changes only the values of literals for a hostile project or file name', () => {
    const plain = tokens(toPytorch(mlp, { name: 'xor', weightsFile: 'w.st', moduleName: 'm' }))
    const options = (text: string): PytorchOptions => ({
      name: text,
      weightsFile: `${text}.safetensors`,
      moduleName: text,
      normalization: undefined,
    })
    for (const text of HOSTILE) {
      const source = toPytorch(mlp, options(text))
      const { code, literals } = tokens(source)
      expect(code, text).toBe(plain.code)
      const doc = value(literals[0] ?? '')
      expect(doc.startsWith(text.replace(/[\r\n]+/g, ' ')), text).toBe(true)
      expect(doc).toContain(`load_model(${pyString(`${text}.safetensors`)})`)
    }
  })

  it('keeps hostile node ids out of code: submodules by name, variables sanitised', () => {
    const source = toPytorch(hostileIds, { name: 'ids' })
    const { code, literals } = tokens(source)
    expect(code).not.toContain('print(')
    expect(code).toMatch(/^[\x20-\x7e\n]*$/)
    const values = literals.map(value)
    for (const id of ['d"""1', 'act"""1', 'a\nb\\', "print('INJECTED')#", '\u2028']) {
      expect(values).toContain(id)
    }
    expect(source).toContain('self.add_module("d\\"\\"\\"1", nn.Linear(3, 4, bias=True))')
    expect(source).toContain('self.node_ = nn.Identity()')
  })

  it('never lets a node shadow a builtin the module calls (getattr)', () => {
    const g = chain([
      ['input', 'input', { shape: '3' }],
      ['getattr', 'relu'],
      ['a b', 'tanh'],
      ['loss', 'mse'],
    ])
    const source = toPytorch(g, { name: 'builtins' })
    expect(source).toContain('getattr(self, "a b")')
    expect(source).not.toMatch(/^\s*getattr = /m)
  })

  it('gives modules python3 parses, with no code from the names', (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-names-'))
    const files = HOSTILE.map((text, i) => {
      const file = join(dir, `m${i}.py`)
      writeFileSync(file, toPytorch(i % 2 ? hostileIds : mlp, { name: text, moduleName: text }))
      return { file, doc: text.replace(/[\r\n]+/g, ' ') }
    })
    const job = join(dir, 'files.json')
    writeFileSync(job, JSON.stringify(files))
    const script = [
      'import ast, json, sys',
      'problems = []',
      'for case in json.load(open(sys.argv[1])):',
      '    tree = ast.parse(open(case["file"], encoding="utf-8").read())',
      '    if not ast.get_docstring(tree, clean=False).startswith(case["doc"]):',
      '        problems.append(case["file"] + ": docstring")',
      '    for node in ast.walk(tree):',
      '        if isinstance(node, ast.Name) and node.id == "print":',
      '            problems.append(case["file"] + ": print")',
      'print(json.dumps(problems))',
    ].join('\n')
    const python = process.env.DENDRITE_PYTHON ?? '/usr/bin/python3'
    const r = spawnSync(python, ['-c', script, job], { encoding: 'utf8', timeout: 30_000 })
    if (r.error || r.status !== 0) {
      const why = r.error?.message ?? r.stderr.trim().split('\n').at(-1)
      if (r.error) {
        console.warn(`python3 names check: SKIPPED — ${why}`)
        return ctx.skip(why)
      }
      throw new Error(`python3 could not parse a module: ${why}`)
    }
    expect(JSON.parse(r.stdout)).toEqual([])
  })
})
