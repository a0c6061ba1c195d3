// PyTorch export: a readable .py file with a usage example at the top, a safetensors reader that
// needs only struct, json and torch, an nn.Module whose submodules are named as the graph's
// nodes (so the studio's weights load by name) and whose forward() follows the graph, branches
// and joins included, and load_model(path) that returns it with the weights, in eval mode.
// When the data set was standardised, the module takes raw inputs as the studio does: its mean
// and std are buffers (not in the state dict, so the weights file stays as it is) and forward()
// standardises x first.
import type { Normalization } from '../data/dataset'
import type { ModelGraph } from '../graph/model-graph'
import { formatShape } from '../graph/shape'
import { ENGINE_VERSION } from '../version'
import type { ExportNode, ExportPlan } from './export-graph'
import { ExportError, planExport, requireNormalization } from './export-graph'
import { TORCH_LAYERS } from './pytorch-layers'

export interface PytorchOptions {
  /** The project's name, for the docstrings. */
  readonly name?: string
  /** The weights file the usage example loads. */
  readonly weightsFile?: string
  /** The module's file name without .py, for the usage example's import. */
  readonly moduleName?: string
  /** The data set's input standardisation, which forward() applies to raw inputs. */
  readonly normalization?: Normalization | undefined
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const PY_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except ' +
    'finally for from global if import in is lambda nonlocal not or pass raise return try while ' +
    'with yield'
  ).split(' '),
)
/** nn.Module attributes a submodule may not shadow. */
const MODULE_ATTRS = new Set(
  (
    'training forward state_dict load_state_dict parameters named_parameters buffers ' +
    'named_buffers children named_children modules named_modules train eval to cpu cuda xpu ' +
    'ipu float double half bfloat16 type apply zero_grad requires_grad_ share_memory ' +
    'extra_repr add_module register_module register_buffer register_parameter get_submodule ' +
    'get_parameter get_buffer dump_patches call_super_init'
  ).split(' '),
)
/** Names the generated file itself uses, and builtins a variable should not shadow. */
const TAKEN = new Set(
  (
    'self x torch nn json struct super Model load_model load_weights sum min max abs len ' +
    'list dict set id type print input range getattr'
  ).split(' '),
)

export function toPytorch(graph: ModelGraph, options: PytorchOptions = {}): string {
  const plan = planExport(graph)
  const norm = options.normalization
  if (norm) requireNormalization(plan, norm)
  const { init, forward } = moduleBody(plan, norm ? standardizing(plan) : NO_PRELUDE)
  return [
    header(plan, options),
    ...(norm ? [constants(norm)] : []),
    LOADER,
    modelClass(plan, options, init, forward),
    LOAD_MODEL,
  ].join('\n\n\n')
}

/** The buffers a standardising Model registers: not in the state dict, so not in the weights. */
const MEAN_BUFFER = 'input_mean'
const STD_BUFFER = 'input_std'

/** What the Model does before its nodes: attributes it takes, and its first lines. */
interface Prelude {
  readonly reserved: readonly string[]
  readonly init: readonly string[]
  readonly forward: readonly string[]
}
const NO_PRELUDE: Prelude = { reserved: [], init: [], forward: [] }

/** __init__'s submodules and forward()'s statements, node by node, after the prelude's. */
function moduleBody(plan: ExportPlan, prelude: Prelude): { init: string[]; forward: string[] } {
  const names = moduleNames(plan, prelude.reserved)
  const vars = variableNames(plan)
  const init = [...prelude.init]
  const forward = [...prelude.forward]
  for (const n of plan.nodes) {
    const rule = TORCH_LAYERS[n.type]
    if (!rule) throw new ExportError([`${n.id}: PyTorch export has no rule for "${n.type}" layers`])
    const ctor = rule.module(n)
    const name = names.get(n.id) ?? n.id
    const quoted = pyString(name)
    const plain = IDENTIFIER.test(name) && !PY_KEYWORDS.has(name)
    if (ctor !== null) {
      init.push(plain ? `self.${name} = ${ctor}` : `self.add_module(${quoted}, ${ctor})`)
    }
    if (n.type === 'input') continue
    const x = (port: string) => vars.get(n.inputs[port] ?? '') ?? 'x'
    const call = rule.call(n, x, plain ? `self.${name}` : `getattr(self, ${quoted})`)
    forward.push(`${vars.get(n.id) ?? n.id} = ${call}  # [N, ${n.outputShape.join(', ')}]`)
  }
  forward.push(`return ${vars.get(plan.output.node) ?? 'x'}`)
  return { init, forward }
}

/** __init__'s buffers INPUT_MEAN and INPUT_STD, shaped as one input; forward()'s use of them. */
function standardizing(plan: ExportPlan): Prelude {
  const shape = `(${plan.input.shape.join(', ')},)`
  const init = [
    `shape = ${shape}`,
    `mean = torch.tensor(INPUT_MEAN, dtype=torch.float32).reshape(shape)`,
    `std = torch.tensor(INPUT_STD, dtype=torch.float32).reshape(shape)`,
    `self.register_buffer("${MEAN_BUFFER}", mean, persistent=False)`,
    `self.register_buffer("${STD_BUFFER}", std, persistent=False)`,
  ]
  const forward = [
    `x = (x - self.${MEAN_BUFFER}) / self.${STD_BUFFER}  # standardised, as the studio's data`,
  ]
  return { reserved: [MEAN_BUFFER, STD_BUFFER], init, forward }
}

/**
 * Submodule names: the node id itself where PyTorch allows it, so weights load by name.
 * `reserved` are the Model's own attributes (its buffers).
 */
function moduleNames(plan: ExportPlan, reserved: readonly string[]): Map<string, string> {
  const out = new Map<string, string>()
  const used = new Set<string>(reserved)
  for (const n of plan.nodes) {
    const hasWeights = Object.keys(plan.weights).some((w) => w.startsWith(`${n.id}.`))
    const clash =
      n.id.includes('.') ||
      MODULE_ATTRS.has(n.id) ||
      reserved.includes(n.id) ||
      n.id.startsWith('_') ||
      n.id === ''
    if (clash && hasWeights) {
      throw new ExportError([
        `${n.id}: a PyTorch submodule cannot be called "${n.id}"; rename the node to export it`,
      ])
    }
    const name = clash ? unique(`node_${n.id.replace(/\W/g, '_')}`, used) : n.id
    used.add(name)
    out.set(n.id, name)
  }
  return out
}

/** forward()'s local variable per node: the id as a Python identifier, the input is `x`. */
function variableNames(plan: ExportPlan): Map<string, string> {
  const out = new Map<string, string>()
  const used = new Set(TAKEN)
  for (const n of plan.nodes) {
    if (n.type === 'input') {
      out.set(n.id, 'x')
      continue
    }
    let name = n.id.replace(/\W/g, '_')
    if (name === '' || /^\d/.test(name) || PY_KEYWORDS.has(name)) name = `n_${name}`
    name = unique(name, used)
    used.add(name)
    out.set(n.id, name)
  }
  return out
}

function unique(name: string, used: ReadonlySet<string>): string {
  if (!used.has(name)) return name
  let i = 2
  while (used.has(`${name}_${i}`)) i++
  return `${name}_${i}`
}

function header(plan: ExportPlan, options: PytorchOptions): string {
  const title = oneLine(options.name ?? 'model')
  const weights = pyString(options.weightsFile ?? 'model.safetensors')
  const module = oneLine(options.moduleName ?? 'model')
  const inShape = ['8', ...plan.input.shape].join(', ')
  const inputs = options.normalization ? "raw inputs, in the data set's units" : 'inputs'
  const doc = `${title}: a PyTorch module exported from Dendrite ${ENGINE_VERSION}.

Usage:
    import torch
    from ${module} import load_model

    model = load_model(${weights})  # a Model in eval mode
    x = torch.randn(${inShape})  # a batch of 8 ${inputs}
    with torch.no_grad():
        prediction = model(x)  # [8, ${plan.output.shape.join(', ')}]
${options.normalization ? STANDARDIZES : ''}
The weights are the studio's safetensors export. load_weights() reads them with struct, json
and torch alone; safetensors.torch.load_file() returns the same state dict.
`
  return `${pyDocstring(doc)}
import json
import struct

import torch
from torch import nn`
}

const STANDARDIZES = `
The studio trained on standardised inputs. forward() takes raw ones, as the studio does, and
standardises them first: (x - INPUT_MEAN) / INPUT_STD per input value. Do not standardise x
yourself.
`

function constants(n: Normalization): string {
  const list = (name: string, values: readonly number[]) =>
    wrap(`${name} = [${values.join(', ')}]`, 96).join('\n    ')
  return `# The data set's standardisation, fitted on its training rows; forward() applies it.
${list('INPUT_MEAN', n.mean)}
${list('INPUT_STD', n.std)}`
}

const LOADER = `def load_weights(path):
    """Reads a safetensors file of float32 tensors into a state dict {name: tensor}."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    header.pop("__metadata__", None)
    start = 8 + length
    state = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{name}: dtype {info['dtype']} is not F32")
        begin, end = info["data_offsets"]
        chunk = bytearray(data[start + begin : start + end])
        values = torch.frombuffer(chunk, dtype=torch.float32) if chunk else torch.zeros(0)
        state[name] = values.reshape(info["shape"])
    return state`

const LOAD_MODEL = `def load_model(path):
    """A Model with the weights of a safetensors file, in eval mode."""
    model = Model()
    missing, unexpected = model.load_state_dict(load_weights(path), strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"the weights do not fit: missing {missing}, unexpected {unexpected}")
    return model.eval()
`

function modelClass(
  plan: ExportPlan,
  options: PytorchOptions,
  init: readonly string[],
  forward: readonly string[],
): string {
  const pad = (lines: readonly string[]) => lines.map((l) => `        ${l}`).join('\n')
  const path = plan.nodes.map((n) => describe(n)).join(' -> ')
  const doc = wrap(`${oneLine(options.name ?? 'The studio graph')}, node by node: ${path}.`, 92)
  const raw = options.normalization ? 'raw inputs ' : ''
  return `class Model(nn.Module):
    ${pyDocstring(doc.join('\n    '))}

    def __init__(self):
        super().__init__()
${init.length > 0 ? pad(init) : '        pass'}

    def forward(self, x):
        """x: ${raw}[N, ${plan.input.shape.join(', ')}] -> [N, ${plan.output.shape.join(', ')}]"""
${pad(forward)}`
}

/** Words joined into lines of at most `width` characters (a longer word gets its own line). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  return [...lines, line]
}

function describe(n: ExportNode): string {
  const id = oneLine(n.id)
  return n.type === 'input' ? `${id} ${formatShape(n.outputShape)}` : id
}

// User text (the project's name, node ids, file names) reaches the generated Python only
// through pyString() and pyDocstring(): as the value of a string literal, never as code.

/**
 * What a literal escapes: backslashes, double quotes and the characters it spells as escape
 * sequences (controls, formats such as bidi overrides, line separators, lone surrogates).
 */
const SPECIAL = /[\\"]|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu
const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** `c`, one code point, as a Python escape sequence. */
function escapeChar(c: string): string {
  const named = ESCAPES[c]
  if (named !== undefined) return named
  const code = c.codePointAt(0) ?? 0
  const hex = (digits: number) => code.toString(16).padStart(digits, '0')
  return code <= 0xff ? `\\x${hex(2)}` : code <= 0xffff ? `\\u${hex(4)}` : `\\U${hex(8)}`
}

/** A Python string literal, "…", whose value is `text`, whatever `text` holds. */
export function pyString(text: string): string {
  return `"${text.replace(SPECIAL, (c) => (c === '\\' || c === '"' ? `\\${c}` : escapeChar(c)))}"`
}

/**
 * A """docstring""" whose value is `text`: its line breaks kept, the other SPECIAL characters
 * escaped, and a double quote escaped where it could close the string (first, last
 * or beside another), so `"` reads as itself in usage examples.
 */
export function pyDocstring(text: string): string {
  const body = text.replace(SPECIAL, (c, at: number) => {
    if (c === '\n') return c
    if (c === '\\') return '\\\\'
    if (c !== '"') return escapeChar(c)
    const alone = at > 0 && at < text.length - 1 && text[at - 1] !== '"' && text[at + 1] !== '"'
    return alone ? c : '\\"'
  })
  return `"""${body}"""`
}

/** User text for a docstring on one line: its line breaks become spaces. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ')
}
