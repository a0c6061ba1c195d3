// Project files for the services' tests: a small CSV project with trained-shaped weights, and a
// large one (a wide Dense layer) whose save takes long enough to be killed part-way.
import { chain } from '../../../engine/graph/test-graphs'
import type { ModelGraph } from '../../../engine/graph/model-graph'
import type { ProjectFile } from '../../../engine/io/project-file'
import { projectWeights } from '../../../engine/io/project-file'
import { expectedWeights } from '../../../engine/io/import-weights'
import type { Tensor } from '../../../engine/io/safetensors'
import { trainSettings } from '../../../engine/train/settings'

export const CSV = 'a,b,label\n0.1,0.2,x\n0.5,-1,y\n2,3,x\n-4,1,y\n0,0,x\n1,1,y\n'

/** Weights of the graph filled from a seed (shapes from the graph itself). */
function filled(graph: ModelGraph, seed: number): Record<string, Tensor> {
  const out: Record<string, Tensor> = {}
  let s = seed
  for (const [name, shape] of Object.entries(expectedWeights(graph))) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1))
    for (let i = 0; i < data.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0
      data[i] = s / 2 ** 32 - 0.5
    }
    out[name] = { shape, data }
  }
  return out
}

export function csvProject(seed = 1): ProjectFile {
  const graph = chain([
    ['input', 'input', { shape: '2' }],
    ['dense1', 'dense', { units: 4 }],
    ['act1', 'tanh'],
    ['dense2', 'dense', { units: 2 }],
    ['loss', 'softmax-cross-entropy'],
  ])
  return {
    project: {
      name: 'CSV sample',
      graph,
      data: {
        kind: 'csv',
        name: 'points.csv',
        target: 'label',
        task: 'auto',
        standardize: false,
        trainRatio: 0.5,
        seed: 1,
      },
      training: trainSettings({ epochs: 3, batchSize: 2 }),
      runs: [
        {
          id: 'run-1',
          startedAt: '2026-01-02T03:04:05.000Z',
          steps: 6,
          end: 'finished',
          curve: [
            { step: 2, train: { loss: 0.7, accuracy: 0.5 }, test: { loss: 0.69, accuracy: 0.5 } },
            { step: 6, train: { loss: 0.4, accuracy: 1 } },
          ],
        },
      ],
    },
    csv: CSV,
    weights: projectWeights(graph, filled(graph, seed)),
  }
}

/** A project whose weights file is about `megabytes` MB. */
export function largeProject(megabytes: number, seed: number): ProjectFile {
  const inputs = 1024
  const units = Math.max(1, Math.round((megabytes * 2 ** 20) / 4 / inputs))
  const graph = chain([
    ['input', 'input', { shape: String(inputs) }],
    ['wide', 'dense', { units }],
    ['loss', 'mse'],
  ])
  return {
    project: {
      name: 'Large',
      graph,
      data: { kind: 'builtin', name: 'xor', noise: 0, size: 500, trainRatio: 0.5, seed: 1 },
      training: trainSettings(),
    },
    weights: projectWeights(graph, filled(graph, seed)),
  }
}
