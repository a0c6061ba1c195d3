// The Iris data set as a Dataset: four measurements in cm, three species, a seeded train/test
// split, optionally standardised. The table itself is embedded (iris-table.ts) to keep the
// engine free of file access.
import { createRng } from '../util/rng'
import type { Dataset } from './dataset'
import { splitExamples, standardize } from './dataset'
import { IRIS_ROWS } from './iris-table'

export const IRIS_FEATURE_NAMES: readonly string[] = [
  'sepal length (cm)',
  'sepal width (cm)',
  'petal length (cm)',
  'petal width (cm)',
]
export const IRIS_CLASS_NAMES: readonly string[] = ['setosa', 'versicolor', 'virginica']

export interface IrisOptions {
  /** Rows to use (a seeded subset when under 150). */
  readonly size: number
  readonly trainRatio: number
  readonly seed: number
  readonly standardize?: boolean
}

export function irisDataset(opts: IrisOptions): Dataset {
  const rng = createRng(opts.seed)
  const rows = rng.shuffle([...IRIS_ROWS]).slice(0, Math.min(IRIS_ROWS.length, opts.size))
  const x = new Float32Array(rows.length * 4)
  const y = new Float32Array(rows.length)
  rows.forEach(([a, b, c, d, label], i) => {
    x.set([a, b, c, d], 4 * i)
    y[i] = label
  })
  const { train, test } = splitExamples(x, y, 4, opts.trainRatio, rng)
  const dataset: Dataset = {
    name: 'iris',
    task: 'classification',
    featureNames: IRIS_FEATURE_NAMES,
    inputShape: [4],
    classNames: IRIS_CLASS_NAMES,
    targetName: 'species',
    train,
    test,
  }
  return opts.standardize === true ? standardize(dataset) : dataset
}
