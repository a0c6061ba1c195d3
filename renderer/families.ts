// Layer families in the order the palette lists them, with the names people read. Their
// colours are CSS variables (styles/theme.css), applied by the class family-<name>.
import type { Family } from '../engine/graph/layer'

export const FAMILIES = [
  'data',
  'layers',
  'activations',
  'structure',
  'losses',
] as const satisfies readonly Family[]

export const FAMILY_TITLES = {
  data: 'Data',
  layers: 'Layers',
  activations: 'Activations',
  structure: 'Structure',
  losses: 'Losses',
} satisfies Record<Family, string>

export function familyTitle(family: Family | 'unknown'): string {
  return family === 'unknown' ? 'Unknown' : FAMILY_TITLES[family]
}
