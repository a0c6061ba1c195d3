// TensorFlow.js contenders: the same MLP training step (x·Wᵀ + b, weights [out, in], mean loss,
// SGD or Adam) on whichever tfjs backend is selected: cpu or wasm in Node (tfjs-node.ts),
// webgpu or webgl in the GPU bench's page.

import * as tf from '@tensorflow/tfjs'
import type { Batch, MlpShape } from './shapes'

export interface TfjsMlp {
  step(): void
  /** Waits for pending work and returns the current loss. */
  loss(): number
  /** The same without blocking (GPU backends in a page). */
  lossAsync(): Promise<number>
  dispose(): void
}

export function tfjsMlp(shape: MlpShape, batch: Batch): TfjsMlp {
  const sizes = shape.layers
  const weights: { w: tf.Variable; b: tf.Variable }[] = []
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l] ?? 1
    const fanOut = sizes[l + 1] ?? 1
    const scale = 1 / Math.sqrt(fanIn)
    weights.push({
      w: tf.variable(tf.randomUniform([fanOut, fanIn], -scale, scale, 'float32', l + 1)),
      b: tf.variable(tf.zeros([fanOut])),
    })
  }
  const outputs = sizes.at(-1) ?? 1
  const x = tf.tensor2d(batch.x, [shape.batch, sizes[0] ?? 1])
  const target =
    shape.loss === 'mse'
      ? tf.tensor2d(batch.target, [shape.batch, outputs])
      : tf.oneHot(tf.tensor1d(batch.target, 'int32'), outputs).toFloat()
  const optimizer = shape.optimizer === 'adam' ? tf.train.adam(shape.lr) : tf.train.sgd(shape.lr)
  const act = (t: tf.Tensor2D): tf.Tensor2D =>
    shape.activation === 'tanh' ? tf.tanh(t) : tf.relu(t)
  const lossFn = (): tf.Scalar => {
    let h: tf.Tensor2D = x
    weights.forEach(({ w, b }, i) => {
      const z = tf.add(tf.matMul(h, w, false, true), b) as tf.Tensor2D
      h = i + 1 === weights.length ? z : act(z)
    })
    return shape.loss === 'mse'
      ? tf.losses.meanSquaredError(target, h)
      : tf.losses.softmaxCrossEntropy(target, h)
  }
  let last: tf.Scalar | null = null
  return {
    step: () => {
      last?.dispose()
      last = optimizer.minimize(lossFn, true)
    },
    loss: () => last?.dataSync()[0] ?? NaN,
    lossAsync: async () => (last === null ? NaN : ((await last.data())[0] ?? NaN)),
    dispose: () => {
      last?.dispose()
      optimizer.dispose()
      for (const { w, b } of weights) tf.dispose([w, b])
      tf.dispose([x, target])
    },
  }
}
