// Each activation's scalar curve at its default attributes, by layer type, for the tiny plots.
import type { Activation } from '../../engine/graph/layers/activations'
import * as activations from '../../engine/graph/layers/activations'

const isActivation = (value: unknown): value is Activation =>
  typeof value === 'object' && value !== null && 'curve' in value && 'type' in value

const curves = new Map<string, (x: number) => number>()
for (const layer of Object.values(activations).filter(isActivation)) {
  const attrs = Object.fromEntries(Object.entries(layer.attrs).map(([k, s]) => [k, s.default]))
  curves.set(layer.type, (x) => layer.curve(x, attrs))
}

export function activationCurve(type: string): ((x: number) => number) | null {
  return curves.get(type) ?? null
}
