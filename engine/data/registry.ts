// makeDataset: the one entry that turns a DataSpec (plus any bytes the host read for it) into a
// Dataset, dispatching to the Playground, function, Iris, MNIST and CSV builders.
import type { BuiltinName } from './catalog'
import { parseCsvDataset } from './csv'
import type { Dataset, DatasetResult } from './dataset'
import { standardize } from './dataset'
import type { FunctionName } from './functions'
import { functionDataset } from './functions'
import { irisDataset } from './iris'
import { mnistDataset } from './mnist'
import type { PlaygroundName } from './playground'
import { playgroundDataset } from './playground'
import type { BuiltinSpec, CsvSpec, DataSpec } from './spec'
import { validateDataSpec } from './spec'

/** What the engine cannot read itself: the host fetches these and passes them in. */
export interface DataSources {
  /** Contents of assets/data/mnist.bin. */
  readonly mnist?: ArrayBuffer
  /** Text of the CSV file a CsvSpec names. */
  readonly csv?: string
}

const PLAYGROUND: Readonly<Record<PlaygroundName, true>> = {
  circle: true,
  xor: true,
  gauss: true,
  spiral: true,
  'reg-plane': true,
  'reg-gauss': true,
}

const FUNCTIONS: Readonly<Record<`fn-${FunctionName}`, FunctionName>> = {
  'fn-sin': 'sin',
  'fn-abs': 'abs',
  'fn-step': 'step',
  'fn-poly': 'poly',
  'fn-bumps': 'bumps',
}

const isPlayground = (n: BuiltinName): n is PlaygroundName => n in PLAYGROUND
const isFunction = (n: BuiltinName): n is `fn-${FunctionName}` => n in FUNCTIONS

function makeBuiltin(spec: BuiltinSpec, sources: DataSources): DatasetResult {
  const { name, size, noise, trainRatio, seed } = spec
  const std = spec.standardize === true
  const done = (dataset: Dataset): DatasetResult => ({
    ok: true,
    dataset: std ? standardize(dataset) : dataset,
  })
  if (isPlayground(name)) return done(playgroundDataset(name, { size, noise, trainRatio, seed }))
  if (isFunction(name)) {
    const sampling = spec.sampling ?? 'random'
    return done(functionDataset(FUNCTIONS[name], { size, noise, trainRatio, seed, sampling }))
  }
  if (name === 'iris') return done(irisDataset({ size, trainRatio, seed }))
  if (sources.mnist === undefined) {
    const message = 'MNIST needs the bytes of assets/data/mnist.bin (sources.mnist)'
    return { ok: false, errors: [{ field: 'sources.mnist', message }] }
  }
  return mnistDataset(sources.mnist, { size, trainRatio, seed, standardize: std })
}

function makeCsv(spec: CsvSpec, sources: DataSources): DatasetResult {
  if (sources.csv === undefined) {
    const message = `The text of ${spec.name} was not supplied (sources.csv)`
    return { ok: false, errors: [{ field: 'sources.csv', message }] }
  }
  const result = parseCsvDataset(sources.csv, spec)
  if (result.ok) return result
  const more = result.omitted > 0 ? [{ message: `… and ${result.omitted} more problems` }] : []
  return { ok: false, errors: [...result.errors, ...more] }
}

/** Builds the data set a spec describes; a bad spec or source comes back as errors. */
export function makeDataset(spec: DataSpec, sources: DataSources = {}): DatasetResult {
  const checked = validateDataSpec(spec)
  if (!checked.ok) return { ok: false, errors: checked.errors }
  const clean = checked.spec
  const made = clean.kind === 'builtin' ? makeBuiltin(clean, sources) : makeCsv(clean, sources)
  return made.ok ? withTestExamples(made.dataset, clean) : made
}

/** Refuses data with no test examples: its test loss and accuracy would be made up. */
function withTestExamples(dataset: Dataset, spec: DataSpec): DatasetResult {
  if (dataset.test.count > 0) return { ok: true, dataset }
  const n = dataset.train.count
  const share = `${Math.round(spec.trainRatio * 100)} %`
  const fix = spec.kind === 'csv' ? 'lower the training share or add rows' : 'lower it'
  const message = `The test split is empty: a training share of ${share} of ${n} example${
    n === 1 ? '' : 's'
  } leaves none to test on; ${fix}`
  return { ok: false, errors: [{ field: 'trainRatio', message }] }
}
