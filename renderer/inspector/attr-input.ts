// What the inspector accepts for an attribute: the text a person typed, checked against the
// layer's spec. A value outside the spec is refused with a sentence that names the allowed range
// ("Units must be between 1 and 65536"), and nothing is written to the graph.
import type { AttrSpec } from '../../engine/graph/attrs'
import type { AttrValue } from '../../engine/graph/model-graph'
import { parseShape } from '../../engine/graph/shape'

export type AttrInput = { value: AttrValue } | { error: string }

export function attrLabel(name: string, spec: AttrSpec): string {
  return spec.label ?? name
}

/** "1 to 65536" for numbers; null for kinds without a range. */
export function rangeText(spec: AttrSpec): string | null {
  if (spec.kind !== 'int' && spec.kind !== 'float') return null
  return `${formatBound(spec.min)} to ${formatBound(spec.max)}`
}

function formatBound(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)))
}

/** The value as the field shows it. */
export function attrText(spec: AttrSpec, value: AttrValue | undefined): string {
  const v = value ?? spec.default
  return typeof v === 'boolean' ? String(v) : String(v)
}

/** Checks typed text against the spec: the value to write, or why it is refused. */
export function parseAttrInput(label: string, spec: AttrSpec, text: string): AttrInput {
  switch (spec.kind) {
    case 'int':
    case 'float':
      return parseNumber(label, spec, text)
    case 'bool':
      if (text === 'true' || text === 'false') return { value: text === 'true' }
      return { error: `${label} must be on or off` }
    case 'choice':
      return spec.options.includes(text)
        ? { value: text }
        : { error: `${label} must be one of ${spec.options.join(', ')}` }
    case 'shape': {
      const parsed = parseShape(text)
      return 'shape' in parsed
        ? { value: parsed.shape.join(', ') }
        : { error: `${label}: ${parsed.error}` }
    }
  }
}

function parseNumber(
  label: string,
  spec: Extract<AttrSpec, { kind: 'int' | 'float' }>,
  text: string,
): AttrInput {
  const range = `between ${formatBound(spec.min)} and ${formatBound(spec.max)}`
  const trimmed = text.trim()
  const n = trimmed === '' ? Number.NaN : Number(trimmed)
  const kind = spec.kind === 'int' ? 'a whole number' : 'a number'
  if (!Number.isFinite(n)) return { error: `${label} must be ${kind} ${range}` }
  if (spec.kind === 'int' && !Number.isInteger(n)) {
    return { error: `${label} must be a whole number ${range}` }
  }
  if (n < spec.min || n > spec.max) return { error: `${label} must be ${range}` }
  return { value: n }
}
