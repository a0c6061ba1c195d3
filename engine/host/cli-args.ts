// The CLI's arguments, parsed and checked: every flag is named in the message when it is wrong.
import { TrainSettingsSchema } from '../train/settings'

export const USAGE = `usage:
  dendrite train <project> [--epochs N] [--seed S] [--backend cpu|webgpu] [--quiet]
                 [--export <out.safetensors|out.onnx|out.py>]… [--save <out.dendrite>]
  dendrite export <project> <out.safetensors|out.onnx|out.py> [--epochs N] [--seed S] [--quiet]
  dendrite check <project>
  dendrite help

<project> is a .dendrite project file or a JSON project. export writes the weights a .dendrite
file holds; a project without trained weights is trained first. A .py export also writes its
weights beside it (<out>.safetensors), which the module's usage example loads. On a GPU,
--backend webgpu times a large model's matrix products once per GPU and keeps the choices in
the user's cache folder (dendrite/webgpu-tuning.json). DENDRITE_DEBUG=wgsl in the environment
prints every WGSL program --backend webgpu runs, with its name.`

const EXPORT_EXTENSIONS = ['.safetensors', '.onnx', '.py']

export interface CliArgs {
  command: 'train' | 'check' | 'export'
  project: string
  epochs?: number
  seed?: number
  quiet: boolean
  /** Files to export after training (train --export, or export's output). */
  exports: string[]
  /** A .dendrite file to write with the trained weights and the run's curve. */
  save?: string
  /** Where to train: the CPU (default) or WebGPU through Dawn. */
  backend: 'cpu' | 'webgpu'
}

export type ParsedArgs = CliArgs | { command: 'help' } | { error: string }

/** The flags that set a training setting: each takes its range from the settings' schema. */
const SETTING_FLAGS = { '--epochs': 'epochs', '--seed': 'seed' } as const

/** A decimal whole number in the setting's range, or a sentence naming flag, value and range. */
function wholeNumber(flag: keyof typeof SETTING_FLAGS, text: string | undefined): number | string {
  const schema = TrainSettingsSchema.shape[SETTING_FLAGS[flag]].unwrap()
  const n = /^\d+$/.test(text ?? '') ? Number(text) : NaN
  if (schema.safeParse(n).success) return n
  const got = text === undefined ? 'nothing' : JSON.stringify(text)
  return `${flag} must be a whole number from ${schema.minValue} to ${schema.maxValue}, got ${got}`
}

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const [command = 'help', project = '', ...rest] = argv
  const refused = checkCommand(command, project)
  if (refused) return refused
  const args: CliArgs = {
    command: command === 'check' || command === 'export' ? command : 'train',
    project,
    quiet: false,
    backend: 'cpu',
    exports: [],
  }
  const error = args.command === 'export' ? exportOutput(args, rest.shift()) : null
  return error ? { error } : applyFlags(args, rest)
}

/** export's second argument: the file to write. */
function exportOutput(args: CliArgs, output: string | undefined): string | null {
  const error = exportPath('export', output)
  if (error === null && output !== undefined) args.exports.push(output)
  return error
}

function applyFlags(args: CliArgs, rest: readonly string[]): ParsedArgs {
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i] ?? ''
    const takesValue = flag !== '--quiet'
    const error = applyFlag(args, flag, takesValue ? rest[i + 1] : undefined)
    if (error) return { error }
    if (takesValue) i++
  }
  return args
}

function checkCommand(command: string, project: string): ParsedArgs | null {
  if (command === 'help' || command === '--help') return { command: 'help' }
  if (command !== 'train' && command !== 'check' && command !== 'export') {
    return { error: `unknown command "${command}"` }
  }
  if (project === '' || project.startsWith('--'))
    return { error: `${command} needs a project file` }
  return null
}

/** A sentence when `path` is not a file name an export can be written to. */
function exportPath(what: string, path: string | undefined): string | null {
  if (path === undefined || path === '' || path.startsWith('--')) {
    return `${what} needs an output file (.safetensors, .onnx or .py)`
  }
  const dot = path.lastIndexOf('.')
  const ext = dot < 0 ? '' : path.slice(dot).toLowerCase()
  if (!EXPORT_EXTENSIONS.includes(ext)) {
    return `${what}: "${path}" must end in .safetensors, .onnx or .py`
  }
  return null
}

/** Applies one flag to args; returns a sentence when the flag or its value is wrong. */
function applyFlag(args: CliArgs, flag: string, value: string | undefined): string | null {
  switch (flag) {
    case '--quiet':
      args.quiet = true
      return null
    case '--epochs':
    case '--seed': {
      const n = wholeNumber(flag, value)
      if (typeof n === 'string') return n
      if (flag === '--epochs') args.epochs = n
      else args.seed = n
      return null
    }
    case '--backend':
      return backendFlag(args, value)
    case '--export':
    case '--save':
      return fileFlag(args, flag, value)
    default:
      return `unknown option "${flag}"`
  }
}

function backendFlag(args: CliArgs, value: string | undefined): string | null {
  if (value !== 'cpu' && value !== 'webgpu') {
    return `--backend takes cpu or webgpu, got ${JSON.stringify(value ?? '')}`
  }
  args.backend = value
  return null
}

function fileFlag(args: CliArgs, flag: '--export' | '--save', value: string | undefined) {
  if (args.command !== 'train') return `${flag} is an option of train`
  if (flag === '--export') {
    const error = exportPath(flag, value)
    if (error === null && value !== undefined) args.exports.push(value)
    return error
  }
  if (value === undefined || !value.toLowerCase().endsWith('.dendrite')) {
    return `--save needs a .dendrite file name, got ${JSON.stringify(value ?? '')}`
  }
  args.save = value
  return null
}
