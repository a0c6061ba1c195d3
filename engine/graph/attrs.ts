// Attribute specs of layers (kind, default, range) and their checking: the inspector builds its
// controls from these, and validation refuses values outside them instead of clamping.
import type { AttrValue } from './model-graph'
import type { Shape } from './shape'
import { parseShape } from './shape'

export interface IntAttr {
  kind: 'int'
  default: number
  min: number
  max: number
  label?: string
}
export interface FloatAttr {
  kind: 'float'
  default: number
  min: number
  max: number
  label?: string
}
export interface BoolAttr {
  kind: 'bool'
  default: boolean
  label?: string
}
export interface ChoiceAttr<O extends string = string> {
  kind: 'choice'
  default: O
  options: readonly O[]
  label?: string
}
/** A tensor shape typed as text, e.g. "2" or "1, 28, 28". */
export interface ShapeAttr {
  kind: 'shape'
  default: string
  label?: string
}

export type AttrSpec = IntAttr | FloatAttr | BoolAttr | ChoiceAttr | ShapeAttr
export type AttrSpecs = Readonly<Record<string, AttrSpec>>

/** The value type each spec resolves to. */
export type AttrType<S extends AttrSpec> = S extends IntAttr | FloatAttr
  ? number
  : S extends BoolAttr
    ? boolean
    : S extends ChoiceAttr<infer O>
      ? O
      : S extends ShapeAttr
        ? Shape
        : never

export type AttrValues<A extends AttrSpecs> = { readonly [K in keyof A]: AttrType<A[K]> }

export const int = (s: Omit<IntAttr, 'kind'>): IntAttr => ({ kind: 'int', ...s })
export const float = (s: Omit<FloatAttr, 'kind'>): FloatAttr => ({ kind: 'float', ...s })
export const bool = (s: Omit<BoolAttr, 'kind'>): BoolAttr => ({ kind: 'bool', ...s })
export const shape = (s: Omit<ShapeAttr, 'kind'>): ShapeAttr => ({ kind: 'shape', ...s })
export function choice<const O extends string>(s: Omit<ChoiceAttr<O>, 'kind'>): ChoiceAttr<O> {
  return { kind: 'choice', ...s }
}

export type ResolvedAttr = number | boolean | string | Shape
export interface AttrProblem {
  attr: string
  message: string
}

/** Checks one raw value against its spec; returns the resolved value or a problem sentence. */
export function resolveAttr(
  spec: AttrSpec,
  raw: AttrValue | undefined,
): { value: ResolvedAttr } | { error: string } {
  const value = raw ?? spec.default
  switch (spec.kind) {
    case 'int':
    case 'float':
      return resolveNumber(spec, value)
    case 'bool':
      return typeof value === 'boolean' ? { value } : { error: `must be true or false` }
    case 'choice':
      return typeof value === 'string' && spec.options.includes(value)
        ? { value }
        : { error: `must be one of ${spec.options.join(', ')} (got ${JSON.stringify(value)})` }
    case 'shape': {
      const parsed = typeof value === 'string' ? parseShape(value) : { error: 'must be text' }
      return 'shape' in parsed ? { value: parsed.shape } : parsed
    }
  }
}

function resolveNumber(
  spec: IntAttr | FloatAttr,
  value: AttrValue,
): { value: number } | { error: string } {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { error: `must be a number (got ${JSON.stringify(value)})` }
  }
  if (spec.kind === 'int' && !Number.isInteger(value)) {
    return { error: `must be a whole number (got ${value})` }
  }
  if (value < spec.min || value > spec.max) {
    return { error: `must be between ${spec.min} and ${spec.max} (got ${value})` }
  }
  return { value }
}
