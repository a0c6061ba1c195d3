// The layer registry: every layer the studio offers, keyed by its type name, in palette order.
import type { Layer } from './layer'
import { input } from './layers/input'
import { dense } from './layers/dense'
import * as act from './layers/activations'
import * as conv from './layers/convolution'
import { embedding } from './layers/embedding'
import * as loss from './layers/losses'
import { batchNorm, layerNorm } from './layers/normalization'
import * as structure from './layers/structure'

const all: readonly Layer[] = [
  input,
  dense,
  conv.conv2d,
  conv.maxPool2d,
  conv.avgPool2d,
  embedding,
  layerNorm,
  batchNorm,
  act.relu,
  act.leakyRelu,
  act.elu,
  act.selu,
  act.gelu,
  act.silu,
  act.mish,
  act.sigmoidLayer,
  act.tanh,
  act.softplusLayer,
  act.softsign,
  act.hardSigmoid,
  act.sine,
  act.identity,
  act.softmax,
  structure.add,
  structure.concat,
  structure.reshape,
  structure.flatten,
  structure.dropout,
  loss.mse,
  loss.mae,
  loss.huber,
  loss.bceWithLogits,
  loss.softmaxCrossEntropy,
]

export const layers: ReadonlyMap<string, Layer> = new Map(all.map((l) => [l.type, l]))

export function getLayer(type: string): Layer | undefined {
  return layers.get(type)
}
