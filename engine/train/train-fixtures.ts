// Graphs and data used by the training tests and the CLI's samples: Playground's sets, the
// function-fitting sets and MNIST, made the same way every time.
import type { DataSpec } from '../data/spec'
import type { Dataset } from '../data/dataset'
import { makeDataset } from '../data/registry'
import type { ModelGraph } from '../graph/model-graph'
import type { NodeDraft } from '../graph/test-graphs'
import { chain } from '../graph/test-graphs'

export function dataset(spec: DataSpec, sources?: { mnist?: ArrayBuffer; csv?: string }): Dataset {
  const r = makeDataset(spec, sources)
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '))
  return r.dataset
}

/** Playground's way: 500 points, half for testing. */
export function playground(name: 'spiral' | 'circle' | 'xor' | 'gauss', seed: number): Dataset {
  return dataset({ kind: 'builtin', name, noise: 0, size: 500, trainRatio: 0.5, seed })
}

/** An MLP: Input → (Dense → activation)* → Dense → loss. */
export function mlp(
  inputShape: string,
  hidden: readonly number[],
  activation: string,
  outputs: number,
  loss: string,
): ModelGraph {
  const drafts: NodeDraft[] = [['input', 'input', { shape: inputShape }]]
  hidden.forEach((units, i) => {
    drafts.push([`dense${i + 1}`, 'dense', { units }], [`act${i + 1}`, activation])
  })
  drafts.push([`dense${hidden.length + 1}`, 'dense', { units: outputs }], ['loss', loss])
  return chain(drafts)
}
