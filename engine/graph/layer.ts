// What a layer is to the studio: ports, attributes, shape rule, parameters and cost, declared
// once. The palette, the inspector, validation and the compiler all read this one description.
import type { AttrSpecs, AttrValues, ResolvedAttr } from './attrs'
import type { Shape } from './shape'

export type Family = 'data' | 'layers' | 'activations' | 'structure' | 'losses'

export interface PortSpec {
  readonly name: string
  readonly label?: string
  /** An optional input may stay unconnected (a loss's target when the data supplies it). */
  readonly optional?: boolean
}

export type Shapes = Readonly<Record<string, Shape>>

export interface LayerSpec<A extends AttrSpecs> {
  readonly type: string
  readonly title: string
  readonly family: Family
  /** One or two sentences a learner understands; the lecture's words where it has them. */
  readonly description: string
  readonly formula?: string
  readonly aliases?: readonly string[]
  readonly inputs: readonly PortSpec[]
  readonly outputs: readonly PortSpec[]
  readonly attrs: A
  /** Output shapes from input shapes; calls fail() with a sentence when they cannot agree. */
  readonly shape: (inputs: Shapes, attrs: AttrValues<A>) => Shapes
  /** Trainable tensors by name (PyTorch's names: weight, bias), from the input shapes. */
  readonly params?: (inputs: Shapes, attrs: AttrValues<A>) => Shapes
  /** Non-trainable tensors kept across steps (BatchNorm's running_mean, running_var). */
  readonly state?: (inputs: Shapes, attrs: AttrValues<A>) => Shapes
  /** Multiply-adds counted as two FLOPs, per example, forward only. */
  readonly flops?: (inputs: Shapes, outputs: Shapes, attrs: AttrValues<A>) => number
}

/** The registry's erased view of a layer; attribute values arrive already checked. */
export interface Layer {
  readonly type: string
  readonly title: string
  readonly family: Family
  readonly description: string
  readonly formula?: string
  readonly aliases: readonly string[]
  readonly inputs: readonly PortSpec[]
  readonly outputs: readonly PortSpec[]
  readonly attrs: AttrSpecs
  readonly shape: (inputs: Shapes, attrs: ResolvedAttrs) => Shapes
  readonly params: (inputs: Shapes, attrs: ResolvedAttrs) => Shapes
  readonly state: (inputs: Shapes, attrs: ResolvedAttrs) => Shapes
  readonly flops: (inputs: Shapes, outputs: Shapes, attrs: ResolvedAttrs) => number
}

export type ResolvedAttrs = Readonly<Record<string, ResolvedAttr>>

export function defineLayer<const A extends AttrSpecs>(spec: LayerSpec<A>): Layer {
  // The registry only calls these with values resolved against spec.attrs, which is what
  // AttrValues<A> describes; the cast erases A at this one edge.
  const typed = (attrs: ResolvedAttrs): AttrValues<A> => attrs as AttrValues<A>
  return {
    ...spec,
    aliases: spec.aliases ?? [],
    shape: (inputs, attrs) => spec.shape(inputs, typed(attrs)),
    params: (inputs, attrs) => spec.params?.(inputs, typed(attrs)) ?? {},
    state: (inputs, attrs) => spec.state?.(inputs, typed(attrs)) ?? {},
    flops: (inputs, outputs, attrs) => spec.flops?.(inputs, outputs, typed(attrs)) ?? 0,
  }
}

/** The single input's shape of a one-input layer. */
export function only(inputs: Shapes, port = 'x'): Shape {
  const s = inputs[port]
  if (s === undefined) throw new Error(`shape rule called without input "${port}"`)
  return s
}

export function last(shape: Shape): number {
  const n = shape[shape.length - 1]
  if (n === undefined) throw new Error('a scalar has no last dimension')
  return n
}
