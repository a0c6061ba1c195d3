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

/** "1 to 65536" for numbers ("0 or more" without a maximum); null for kinds without a range. */
export function rangeText(spec: AttrSpec): string | null {
  if (spec.kind !== 'int' && spec.kind !== 'float') return null
  if (spec.max === Infinity) return `${formatBound(spec.min)} or more`
  if (spec.min === -Infinity) return `${formatBound(spec.max)} or less`
  return `${formatBound(spec.min)} to ${formatBound(spec.max)}`
}

/** "between 1 and 65536", "at least 0", "at most 1", for sentences. */
function rangeWords(spec: { min: number; max: number }): string {
  if (spec.max === Infinity) return `at least ${formatBound(spec.min)}`
  if (spec.min === -Infinity) return `at most ${formatBound(spec.max)}`
  return `between ${formatBound(spec.min)} and ${formatBound(spec.max)}`
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
  const range = rangeWords(spec)
  const trimmed = text.trim()
  const n = trimmed === '' ? Number.NaN : Number(trimmed)
  const kind = spec.kind === 'int' ? 'a whole number' : 'a number'
  // "a number between 0 and 1", "a number, at least 0"
  const typed = `${kind}${range.startsWith('between') ? '' : ','} ${range}`
  if (!Number.isFinite(n)) return { error: `${label} must be ${typed}` }
  if (spec.kind === 'int' && !Number.isInteger(n)) return { error: `${label} must be ${typed}` }
  if (n < spec.min || n > spec.max) return { error: `${label} must be ${range}` }
  return { value: n }
}
