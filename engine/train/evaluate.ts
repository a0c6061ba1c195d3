// Evaluation over a whole split in exact batches (a batch size that fits, plus one program for
// the remainder), so that every example counts once and the mean loss is the true mean.
import type { Dataset, Split } from '../data/dataset'
import { exampleSize } from '../data/dataset'
import type { ModelGraph } from '../graph/model-graph'
import type { CpuExecutable } from '../backends/cpu'
import type { LoweredGraph } from '../lower/lower-graph'
import { DATA_INPUT, LOSS_OUTPUT, PREDICTION_OUTPUT, TARGET_INPUT } from '../lower/lower-graph'
import type { Metrics } from './metrics'
import { MetricSums } from './metrics'
import { compileInference } from './model'

const MAX_BATCH = 500

export interface Evaluator {
  /** Metrics over a split with the weights `view` reads from the training executable. */
  run(
    split: 'train' | 'test',
    view: (name: string) => ArrayLike<number>,
    trained: LoweredGraph,
  ): Metrics
}

export function createEvaluator(
  graph: ModelGraph,
  dataset: Dataset,
  seed: number,
  oneHot: boolean,
): Evaluator {
  const programs = new Map<number, CpuExecutable>()
  const classes = dataset.classNames?.length ?? 0
  const program = (batch: number): CpuExecutable => {
    let exe = programs.get(batch)
    if (!exe) {
      exe = compileInference(graph, batch, seed).exe
      programs.set(batch, exe)
    }
    return exe
  }
  return {
    run(which, view, trained) {
      const split = dataset[which]
      const sums = new MetricSums(dataset.task)
      const full = Math.min(split.count, MAX_BATCH)
      const rest = split.count % full
      const batches = [
        ...Array.from({ length: Math.floor(split.count / full) }, (_, i) => [i * full, full]),
        ...(rest > 0 ? [[split.count - rest, rest]] : []),
      ]
      for (const [start = 0, size = 0] of batches) {
        const exe = program(size)
        for (const slot of [...trained.params, ...trained.state])
          exe.write(slot.name, view(slot.name))
        runBatch(
          exe,
          split,
          start,
          size,
          exampleSize(dataset.inputShape),
          oneHot ? classes : 0,
          sums,
        )
      }
      return sums.result()
    },
  }
}

function runBatch(
  exe: CpuExecutable,
  split: Split,
  start: number,
  size: number,
  rowSize: number,
  oneHotClasses: number,
  sums: MetricSums,
): void {
  const feeds: Record<string, ArrayLike<number>> = {
    [DATA_INPUT]: split.x.subarray(start * rowSize, (start + size) * rowSize),
  }
  const y = split.y.subarray(start, start + size)
  if (exe.inputs.some((i) => i.name === TARGET_INPUT)) {
    feeds[TARGET_INPUT] = oneHotClasses > 0 ? oneHot(y, oneHotClasses) : y
  }
  const out = exe.run(feeds)
  const pred = out[PREDICTION_OUTPUT] ?? new Float32Array(size)
  const loss = out[LOSS_OUTPUT]?.[0] ?? NaN
  sums.add(loss, pred, y, size, pred.length / size)
}

function oneHot(labels: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes)
  labels.forEach((label, i) => {
    out[i * classes + label] = 1
  })
  return out
}
