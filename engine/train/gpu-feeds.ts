// The feeds of a GPU session's steps, a piece of steps at a time: the same batches, learning
// rates, keys and Adam host scalars as the CPU session's (session.ts's loader). Where the
// training split lives on the device, a step's data is its batch's row indices, gathered there;
// else the batch itself, uploaded. What the session keeps of a piece to run its steps again
// (after a divergence) is always the rows, gathered again on the host when they are needed.
import type { Dataset } from '../data/dataset'
import { exampleSize, gatherRows } from '../data/dataset'
import type { BatchLoader } from '../data/loader'
import type { Feeds } from '../ir'
import type { LoweredGraph } from '../lower/lower-graph'
import { DATA_INPUT, KEY_INPUT, TARGET_INPUT } from '../lower/lower-graph'
import type { HostScalars } from '../optim/optimizers'
import { hostScalarsOf } from '../optim/optimizers'
import { LR_INPUT } from '../optim/train-step'
import { makeLoader } from './session'
import type { TrainSettings } from './settings'

export interface PieceFeeds {
  readonly feeds: readonly Feeds[]
  /** The feeds as the session keeps them (an uploaded batch as its rows). */
  readonly kept: readonly Feeds[]
  readonly targets: readonly Float32Array[]
  /** Real (not padded) rows of each step's batch. */
  readonly reals: readonly number[]
}

export class StepFeeder {
  private loader: BatchLoader
  private readonly hostScalars: HostScalars
  private readonly scalarValues: Float64Array
  private readonly rowSize: number

  /** `table`: the training split's inputs on the device, or null where batches are uploaded. */
  constructor(
    private readonly dataset: Dataset,
    private readonly settings: TrainSettings,
    private readonly lowered: LoweredGraph,
    private readonly oneHot: boolean,
    private readonly table: Float32Array | null,
  ) {
    this.loader = makeLoader(dataset, settings, oneHot, table === null)
    this.hostScalars = hostScalarsOf(settings.optimizer)
    this.scalarValues = new Float64Array(this.hostScalars.names.length)
    this.rowSize = exampleSize(dataset.inputShape)
  }

  get batchesPerEpoch(): number {
    return this.loader.batchesPerEpoch
  }

  /** The next batches are those a run from step 0 has from `step` on. */
  seek(step: number): void {
    const { dataset, settings, oneHot, table } = this
    this.loader = makeLoader(dataset, settings, oneHot, table === null, step)
  }

  /** The feeds of the next m steps, the first of them step `first`, at the rates `lrAt` says. */
  piece(first: number, m: number, lrAt: (step: number) => number): PieceFeeds {
    const { loader, lowered, hostScalars, scalarValues, table } = this
    const feeds: Feeds[] = []
    const kept: Feeds[] = []
    const targets: Float32Array[] = []
    const reals: number[] = []
    for (let k = 0; k < m; k++) {
      reals.push(loader.next())
      const y = Float32Array.from(loader.y)
      const rows = Float32Array.from(loader.rows)
      const f: Record<string, ArrayLike<number>> = {
        [DATA_INPUT]: table === null ? Float32Array.from(loader.x) : rows,
        [LR_INPUT]: [lrAt(first + k)],
      }
      if (lowered.targetShape) f[TARGET_INPUT] = y
      if (lowered.usesKey) f[KEY_INPUT] = [first + k]
      hostScalars.fill(first + k + 1, scalarValues)
      hostScalars.names.forEach((name, i) => (f[name] = [scalarValues[i] ?? 0]))
      feeds.push(f)
      kept.push(table === null ? { ...f, [DATA_INPUT]: rows } : f)
      targets.push(y)
    }
    return { feeds, kept, targets, reals }
  }

  /** A kept step's feeds as it was fed (an uploaded batch gathered again from its rows). */
  refeed(kept: Feeds): Feeds {
    if (this.table !== null) return kept
    const rows = kept[DATA_INPUT] ?? []
    const { x, y } = this.dataset.train
    return { ...kept, [DATA_INPUT]: gatherRows(x, y, this.rowSize, rows, 0, rows.length).x }
  }
}
