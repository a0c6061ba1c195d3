// DataSpec: the serialisable recipe for a data set (what a project file stores and the protocol
// sends), and its validator, which names every bad field instead of stopping at the first.
import type { BuiltinName } from './catalog'
import { BUILTINS, BUILTIN_NAMES, isBuiltinName } from './catalog'
import type { CsvTaskChoice } from './csv'
import type { Sampling } from './functions'

export interface BuiltinSpec {
  readonly kind: 'builtin'
  readonly name: BuiltinName
  /** 0 … 0.5: Playground's slider / 100; the target's noise std for function sets. */
  readonly noise: number
  /** Number of examples before the split (within the set's sizeRange). */
  readonly size: number
  /** Fraction of examples for training, (0, 1]. */
  readonly trainRatio: number
  /** Unsigned 32-bit seed for generation and the split. */
  readonly seed: number
  /** Function sets only: 'random' (default) or 'even' spacing. */
  readonly sampling?: Sampling
  /** Standardise features with the training rows' statistics. */
  readonly standardize?: boolean
}

export interface CsvSpec {
  readonly kind: 'csv'
  /** The file's name as the user knows it; its text is supplied beside the spec. */
  readonly name: string
  readonly target?: string
  readonly features?: readonly string[]
  readonly task: CsvTaskChoice
  readonly standardize: boolean
  readonly trainRatio: number
  readonly seed: number
  readonly delimiter?: ',' | ';' | '\t'
}

export type DataSpec = BuiltinSpec | CsvSpec

export interface SpecError {
  readonly field: string
  readonly message: string
}

export type SpecResult =
  | { readonly ok: true; readonly spec: DataSpec }
  | { readonly ok: false; readonly errors: readonly SpecError[] }

/** The spec the data panel starts from for a built-in set. */
export function defaultSpec(name: BuiltinName, seed = 1): BuiltinSpec {
  const { size, noise, trainRatio } = BUILTINS[name].defaults
  return { kind: 'builtin', name, noise, size, trainRatio, seed }
}

type Obj = Readonly<Record<string, unknown>>

interface Range {
  readonly min: number
  readonly max: number
  readonly integer?: boolean
  readonly minExclusive?: boolean
}

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

function inRange(v: unknown, r: Range): v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false
  if (r.integer === true && !Number.isInteger(v)) return false
  return (r.minExclusive === true ? v > r.min : v >= r.min) && v <= r.max
}

/** A value as the message shows it: JSON where it has one (never throwing on a cycle). */
function shown(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'nothing'
  } catch {
    return typeof v
  }
}

function checkNumber(o: Obj, key: string, r: Range, errors: SpecError[]): number {
  const v = o[key]
  if (inRange(v, r)) return v
  const kind = r.integer === true ? 'an integer' : 'a number'
  const from = r.minExclusive === true ? `above ${r.min}` : `from ${r.min}`
  const got = typeof v === 'number' || typeof v === 'bigint' ? String(v) : shown(v)
  errors.push({ field: key, message: `${key} must be ${kind} ${from} to ${r.max}, got ${got}` })
  return NaN
}

function checkOneOf<T extends string>(
  o: Obj,
  key: string,
  options: readonly T[],
  errors: SpecError[],
): T | undefined {
  const v = o[key]
  const found = options.find((opt) => opt === v)
  if (found === undefined) {
    const list = options.map((x) => JSON.stringify(x)).join(', ')
    errors.push({ field: key, message: `${key} must be one of ${list}` })
  }
  return found
}

function checkKeys(o: Obj, allowed: readonly string[], errors: SpecError[]): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) errors.push({ field: key, message: `unknown field ${key}` })
  }
}

function optional<T>(o: Obj, key: string, check: () => T): T | undefined {
  return o[key] === undefined ? undefined : check()
}

function checkBool(o: Obj, key: string, errors: SpecError[]): boolean {
  const v = o[key]
  if (typeof v !== 'boolean') errors.push({ field: key, message: `${key} must be true or false` })
  return v === true
}

const RATIO: Range = { min: 0, max: 1, minExclusive: true }
const SEED: Range = { min: 0, max: 0xffffffff, integer: true }
const BUILTIN_KEYS = [
  'kind',
  'name',
  'noise',
  'size',
  'trainRatio',
  'seed',
  'sampling',
  'standardize',
]
const CSV_KEYS = ['kind', 'name', 'target', 'features', 'task', 'standardize', 'trainRatio', 'seed']
const SAMPLINGS = ['even', 'random'] as const
const DELIMITERS = [',', ';', '\t'] as const
const TASKS = ['auto', 'classification', 'regression'] as const

function checkBuiltin(o: Obj, errors: SpecError[]): BuiltinSpec {
  checkKeys(o, BUILTIN_KEYS, errors)
  const name = checkOneOf(o, 'name', BUILTIN_NAMES, errors) ?? 'circle'
  const [min, max] = BUILTINS[name].sizeRange
  const size = checkNumber(o, 'size', { min, max, integer: true }, errors)
  const noise = checkNumber(o, 'noise', { min: 0, max: 0.5 }, errors)
  const trainRatio = checkNumber(o, 'trainRatio', RATIO, errors)
  const seed = checkNumber(o, 'seed', SEED, errors)
  const sampling = optional(o, 'sampling', () => checkOneOf(o, 'sampling', SAMPLINGS, errors))
  const standardize = optional(o, 'standardize', () => checkBool(o, 'standardize', errors))
  return {
    kind: 'builtin',
    name,
    noise,
    size,
    trainRatio,
    seed,
    ...(sampling === undefined ? {} : { sampling }),
    ...(standardize === undefined ? {} : { standardize }),
  }
}

function checkStringList(o: Obj, key: string, errors: SpecError[]): readonly string[] {
  const v = o[key]
  if (!Array.isArray(v) || !v.every((s): s is string => typeof s === 'string')) {
    errors.push({ field: key, message: `${key} must be a list of column names` })
    return []
  }
  return v
}

function checkString(o: Obj, key: string, errors: SpecError[]): string {
  const v = o[key]
  if (typeof v !== 'string' || v === '') {
    errors.push({ field: key, message: `${key} must be a non-empty string` })
    return ''
  }
  return v
}

function checkCsv(o: Obj, errors: SpecError[]): CsvSpec {
  checkKeys(o, [...CSV_KEYS, 'delimiter'], errors)
  const name = checkString(o, 'name', errors)
  const target = optional(o, 'target', () => checkString(o, 'target', errors))
  const features = optional(o, 'features', () => checkStringList(o, 'features', errors))
  const task = checkOneOf(o, 'task', TASKS, errors) ?? 'auto'
  const standardize = checkBool(o, 'standardize', errors)
  const trainRatio = checkNumber(o, 'trainRatio', RATIO, errors)
  const seed = checkNumber(o, 'seed', SEED, errors)
  const delimiter = optional(o, 'delimiter', () => checkOneOf(o, 'delimiter', DELIMITERS, errors))
  return {
    kind: 'csv',
    name,
    task,
    standardize,
    trainRatio,
    seed,
    ...(target === undefined ? {} : { target }),
    ...(features === undefined ? {} : { features }),
    ...(delimiter === undefined ? {} : { delimiter }),
  }
}

/** Checks an untrusted value; on success returns a clean copy holding only known fields. */
export function validateDataSpec(value: unknown): SpecResult {
  if (!isObject(value)) {
    return { ok: false, errors: [{ field: '', message: 'a data spec must be an object' }] }
  }
  const errors: SpecError[] = []
  let spec: DataSpec | undefined
  if (value.kind === 'builtin') {
    if (typeof value.name === 'string' && !isBuiltinName(value.name)) {
      errors.push({ field: 'name', message: `no built-in data set is called "${value.name}"` })
      return { ok: false, errors }
    }
    spec = checkBuiltin(value, errors)
  } else if (value.kind === 'csv') {
    spec = checkCsv(value, errors)
  } else {
    errors.push({ field: 'kind', message: 'kind must be "builtin" or "csv"' })
  }
  return spec !== undefined && errors.length === 0 ? { ok: true, spec } : { ok: false, errors }
}
