// What a layer is to the studio: ports, attributes, shape rule, parameters and cost, declared
// once. The palette, the inspector, validation and the compiler all read this one description.
import type { ProgramBuilder, Value } from '../ir'
import type { AttrSpecs, AttrValues, ResolvedAttr } from './attrs'
import type { Shape } from './shape'

export type Family = 'data' | 'layers' | 'activations' | 'structure' | 'losses'

/** How a parameter or state tensor starts. Fans follow PyTorch ([out, in, …] layouts). */
export type InitKind =
  'he-uniform' | 'he-normal' | 'xavier-uniform' | 'xavier-normal' | 'zeros' | 'ones' | 'normal'

export interface PortSpec {
  readonly name: string
  readonly label?: string
  /** An optional input may stay unconnected (a loss's target when the data supplies it). */
  readonly optional?: boolean
}

export type Shapes = Readonly<Record<string, Shape>>
export type Values = Readonly<Record<string, Value>>

/**
 * What a layer's lowering may use besides its inputs and parameters. IR values carry the batch
 * axis first: a layer whose per-example input is [m] receives [batch, m].
 */
export interface LowerContext {
  readonly ir: ProgramBuilder
  /** Training programs drop out units and use batch statistics; inference programs do not. */
  readonly training: boolean
  readonly batch: number
  /** The data set's examples, for Input layers. */
  data(): Value
  /** The data set's targets shaped as a loss needs them, for an unwired target port. */
  target(shape: readonly number[]): Value
  /** This node's state tensor (declared by the layer's state rule). */
  state(name: string): Value
  /** Its value for the next step (training only). */
  updateState(name: string, next: Value): void
  /** A scalar that changes every step, for random masks. */
  stepKey(): Value
  /** A seed for this node's random masks, stable across runs with the same seed. */
  readonly seed: number
}

export type LowerRule<A extends AttrSpecs> = (
  ctx: LowerContext,
  inputs: Values,
  params: Values,
  attrs: AttrValues<A>,
) => Values

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
  /**
   * How each parameter and state tensor starts, by name. Unlisted: biases zeros, other
   * parameters the layer's `init` attribute (or Xavier uniform), state zeros.
   */
  readonly init?: (attrs: AttrValues<A>) => Readonly<Record<string, InitKind>>
  /** The layer as primitive IR ops; outputs by port name. */
  readonly lower: LowerRule<A>
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
  readonly lower: (
    ctx: LowerContext,
    inputs: Values,
    params: Values,
    attrs: ResolvedAttrs,
  ) => Values
  readonly init: (attrs: ResolvedAttrs) => Readonly<Record<string, InitKind>>
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
    lower: (ctx, inputs, params, attrs) => spec.lower(ctx, inputs, params, typed(attrs)),
    init: (attrs) => spec.init?.(typed(attrs)) ?? {},
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

/** The IR value on a port, for lowerings. */
export function port(values: Values, name: string): Value {
  const v = values[name]
  if (v === undefined) throw new Error(`lowering called without "${name}"`)
  return v
}
