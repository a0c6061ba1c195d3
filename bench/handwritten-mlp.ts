// The plain reference contender: an MLP training step written the way a person writes one by
// hand, with typed arrays and loops, the same math as the engine's (weights [out, in], mean
// loss over the batch, SGD or Adam), every buffer made once and nothing allocated per step.

import type { MlpShape } from './shapes'

interface Layer {
  readonly fanIn: number
  readonly fanOut: number
  readonly w: Float32Array
  readonly b: Float32Array
  readonly gw: Float32Array
  readonly gb: Float32Array
  /** Pre-activation z and activation a (the last layer keeps logits in z). */
  readonly z: Float32Array
  readonly a: Float32Array
  /** Gradient with respect to z, then with respect to this layer's input. */
  readonly dz: Float32Array
  readonly dIn: Float32Array
  readonly state: Float32Array[]
}

export interface HandwrittenMlp {
  /** The batch's inputs (batch × in) and targets (class indices or batch × out values). */
  readonly x: Float32Array
  readonly target: Float32Array
  step(): number
}

export function handwrittenMlp(shape: MlpShape, seed = 1): HandwrittenMlp {
  const sizes = shape.layers
  const B = shape.batch
  let s = seed
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1
  const layers: Layer[] = []
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l] ?? 1
    const fanOut = sizes[l + 1] ?? 1
    const w = new Float32Array(fanOut * fanIn).map(() => rand() / Math.sqrt(fanIn))
    const per = (n: number): Float32Array => new Float32Array(n)
    layers.push({
      fanIn,
      fanOut,
      w,
      b: per(fanOut),
      gw: per(fanOut * fanIn),
      gb: per(fanOut),
      z: per(B * fanOut),
      a: per(B * fanOut),
      dz: per(B * fanOut),
      dIn: per(B * fanIn),
      state: shape.optimizer === 'adam' ? [per(fanOut * fanIn), per(fanOut * fanIn)] : [],
    })
  }
  const x = new Float32Array(B * (sizes[0] ?? 1))
  const outSize = sizes.at(-1) ?? 1
  const target = new Float32Array(shape.loss === 'mse' ? B * outSize : B)
  const bState = layers.map((L) => (shape.optimizer === 'adam' ? [L.b.slice(), L.b.slice()] : []))
  let t = 0
  const lossGrad = (last: Layer): number =>
    shape.loss === 'mse'
      ? mseGrad(last.z, target, last.dz)
      : softmaxGrad(last.z, target, last.dz, B, outSize)
  const step = (): number => {
    let input: Float32Array = x
    for (let l = 0; l < layers.length; l++) {
      const L = layers[l]
      if (L === undefined) continue
      forward(L, input, B, l + 1 === layers.length ? null : shape.activation)
      input = L.a
    }
    const last = layers.at(-1)
    const loss = last === undefined ? 0 : lossGrad(last)
    for (let l = layers.length - 1; l >= 0; l--) {
      const L = layers[l]
      const below = layers[l - 1]
      if (L === undefined) continue
      backward(L, below === undefined ? x : below.a, B, below !== undefined)
      if (below !== undefined) activationGrad(below, L.dIn, shape.activation)
    }
    t++
    for (let l = 0; l < layers.length; l++) {
      const L = layers[l]
      if (L === undefined) continue
      update(L.w, L.gw, L.state, shape.optimizer, shape.lr, t)
      update(L.b, L.gb, bState[l] ?? [], shape.optimizer, shape.lr, t)
    }
    return loss
  }
  return { x, target, step }
}

function forward(L: Layer, input: Float32Array, B: number, act: 'tanh' | 'relu' | null): void {
  const { fanIn, fanOut, w, b, z, a } = L
  for (let n = 0; n < B; n++) {
    for (let o = 0; o < fanOut; o++) {
      let sum = b[o] ?? 0
      const wi = o * fanIn
      const xi = n * fanIn
      for (let i = 0; i < fanIn; i++) sum += (input[xi + i] ?? 0) * (w[wi + i] ?? 0)
      z[n * fanOut + o] = sum
    }
  }
  if (act !== null) activate(z, a, act)
}

function activate(z: Float32Array, a: Float32Array, act: 'tanh' | 'relu'): void {
  if (act === 'tanh') for (let i = 0; i < z.length; i++) a[i] = Math.tanh(z[i] ?? 0)
  else for (let i = 0; i < z.length; i++) a[i] = Math.max(z[i] ?? 0, 0)
}

/** dW = dzᵀ·input, db = Σ dz, dIn = dz·W. */
function backward(L: Layer, input: Float32Array, B: number, needInput: boolean): void {
  const { fanIn, fanOut, w, gw, gb, dz, dIn } = L
  gw.fill(0)
  gb.fill(0)
  dIn.fill(0)
  for (let n = 0; n < B; n++) {
    for (let o = 0; o < fanOut; o++) {
      const g = dz[n * fanOut + o] ?? 0
      gb[o] = (gb[o] ?? 0) + g
      const wi = o * fanIn
      const xi = n * fanIn
      for (let i = 0; i < fanIn; i++) gw[wi + i] = (gw[wi + i] ?? 0) + g * (input[xi + i] ?? 0)
      if (!needInput) continue
      for (let i = 0; i < fanIn; i++) dIn[xi + i] = (dIn[xi + i] ?? 0) + g * (w[wi + i] ?? 0)
    }
  }
}

function activationGrad(L: Layer, dA: Float32Array, act: 'tanh' | 'relu'): void {
  const { a, dz } = L
  if (act === 'tanh') {
    for (let i = 0; i < dz.length; i++) dz[i] = (dA[i] ?? 0) * (1 - (a[i] ?? 0) * (a[i] ?? 0))
  } else {
    for (let i = 0; i < dz.length; i++) dz[i] = (a[i] ?? 0) > 0 ? (dA[i] ?? 0) : 0
  }
}

function mseGrad(y: Float32Array, t: Float32Array, dy: Float32Array): number {
  let loss = 0
  const scale = 2 / y.length
  for (let i = 0; i < y.length; i++) {
    const d = (y[i] ?? 0) - (t[i] ?? 0)
    loss += d * d
    dy[i] = scale * d
  }
  return loss / y.length
}

function softmaxGrad(
  z: Float32Array,
  labels: Float32Array,
  dz: Float32Array,
  B: number,
  C: number,
): number {
  let loss = 0
  for (let n = 0; n < B; n++) {
    let max = -Infinity
    for (let c = 0; c < C; c++) max = Math.max(max, z[n * C + c] ?? 0)
    let sum = 0
    for (let c = 0; c < C; c++) sum += Math.exp((z[n * C + c] ?? 0) - max)
    const label = labels[n] ?? 0
    for (let c = 0; c < C; c++) {
      const p = Math.exp((z[n * C + c] ?? 0) - max) / sum
      dz[n * C + c] = (p - (c === label ? 1 : 0)) / B
    }
    loss += Math.log(sum) + max - (z[n * C + label] ?? 0)
  }
  return loss / B
}

function update(
  p: Float32Array,
  g: Float32Array,
  state: Float32Array[],
  optimizer: 'sgd' | 'adam',
  lr: number,
  t: number,
): void {
  const [m, v] = state
  if (optimizer === 'sgd' || m === undefined || v === undefined) {
    for (let i = 0; i < p.length; i++) p[i] = (p[i] ?? 0) - lr * (g[i] ?? 0)
    return
  }
  const c1 = 1 - 0.9 ** t
  const c2 = 1 - 0.999 ** t
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] ?? 0
    const mi = (m[i] = 0.9 * (m[i] ?? 0) + 0.1 * gi)
    const vi = (v[i] = 0.999 * (v[i] ?? 0) + 0.001 * gi * gi)
    p[i] = (p[i] ?? 0) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + 1e-8)
  }
}
