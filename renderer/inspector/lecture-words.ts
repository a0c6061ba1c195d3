// The lecture's own words for a layer, with this node's numbers filled in: Dense is "n linear
// models over m inputs, m·n + n parameters" (the letters of its description in the palette), so
// Dense 8 after 2 inputs reads "8 units over 2 inputs: 2·8 + 8 = 24 parameters".
import type { Shape } from '../../engine/graph/shape'

export interface LectureWords {
  /** The general rule, in the lecture's words. */
  readonly rule: string
  /** The same rule with this node's numbers. */
  readonly here: string
}

const exact = (n: number): string => n.toLocaleString('en-US')
const plural = (n: number, one: string, many: string): string =>
  `${exact(n)} ${n === 1 ? one : many}`

/** Words for the layers the lecture explains; null for the rest, or before inference. */
export function lectureWords(
  type: string,
  params: Readonly<Record<string, Shape>> | null,
): LectureWords | null {
  if (!params) return null
  if (type === 'dense') return denseWords(params)
  if (type === 'conv2d') return convWords(params)
  return null
}

function denseWords(params: Readonly<Record<string, Shape>>): LectureWords | null {
  // The weight is [units, inputs]: n units over m inputs.
  const [n, m] = params.weight ?? []
  if (m === undefined || n === undefined) return null
  const bias = params.bias !== undefined
  const sum = bias ? `${m}·${n} + ${n}` : `${m}·${n}`
  const total = m * n + (bias ? n : 0)
  return {
    rule: bias
      ? 'n linear models over m inputs, m·n + n parameters'
      : 'n linear models over m inputs, m·n parameters (no bias)',
    here: `${plural(n, 'unit', 'units')} over ${plural(m, 'input', 'inputs')}: ${sum} = ${plural(total, 'parameter', 'parameters')}`,
  }
}

function convWords(params: Readonly<Record<string, Shape>>): LectureWords | null {
  const [out, c, k] = params.weight ?? []
  if (out === undefined || c === undefined || k === undefined) return null
  const bias = params.bias !== undefined
  const total = out * c * k * k + (bias ? out : 0)
  return {
    rule: 'f filters of k×k over c channels, shared across the image: f·c·k·k + f parameters',
    here:
      `${plural(out, 'filter', 'filters')} of ${k}×${k} over ${plural(c, 'channel', 'channels')}: ` +
      `${out}·${c}·${k}·${k}${bias ? ` + ${out}` : ''} = ${plural(total, 'parameter', 'parameters')}`,
  }
}
