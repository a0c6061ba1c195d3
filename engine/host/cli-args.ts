// The CLI's arguments, parsed and checked: every flag is named in the message when it is wrong.

export const USAGE = `usage:
  dendrite train <project.json> [--epochs N] [--seed S] [--backend cpu] [--quiet]
  dendrite check <project.json>
  dendrite help`

export interface CliArgs {
  command: 'train' | 'check'
  project: string
  epochs?: number
  seed?: number
  quiet: boolean
}

export type ParsedArgs = CliArgs | { command: 'help' } | { error: string }

function wholeNumber(flag: string, text: string | undefined, min: number): number | string {
  const n = Number(text)
  if (text === undefined || !Number.isInteger(n) || n < min) {
    return `${flag} needs a whole number of at least ${min}, got ${JSON.stringify(text ?? '')}`
  }
  return n
}

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const [command = 'help', project = '', ...rest] = argv
  const refused = checkCommand(command, project)
  if (refused) return refused
  const args: CliArgs = { command: command === 'check' ? 'check' : 'train', project, quiet: false }
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
  if (command !== 'train' && command !== 'check') return { error: `unknown command "${command}"` }
  if (project === '' || project.startsWith('--'))
    return { error: `${command} needs a project file` }
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
      const n = wholeNumber(flag, value, flag === '--epochs' ? 1 : 0)
      if (typeof n === 'string') return n
      if (flag === '--epochs') args.epochs = n
      else args.seed = n
      return null
    }
    case '--backend':
      return value === 'cpu' ? null : `--backend: only "cpu" runs in Node (got "${value ?? ''}")`
    default:
      return `unknown option "${flag}"`
  }
}
