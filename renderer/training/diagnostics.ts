// What a learner should know about a layer's units over a batch: ReLUs that output zero for every
// example ("dead": no gradient reaches their weights again) and sigmoid / tanh units pinned at
// their limits ("saturated": their gradient vanishes).

export interface UnitDiagnostics {
  /** The layer type probed (relu, sigmoid, …). */
  readonly type: string
  readonly units: number
  readonly dead: readonly number[]
  readonly saturated: readonly number[]
}

/** UnitDiagnostics as counts: what a node's badge shows. */
export interface UnitCounts {
  /** The layer type probed: a node changed since to another shows nothing of it. */
  readonly type: string
  readonly units: number
  readonly dead: number
  readonly saturated: number
}

export const DIAGNOSED_TYPES: readonly string[] = ['relu', 'sigmoid', 'tanh', 'hard-sigmoid']

/** A unit is saturated when this share of the batch sits within EDGE of a limit. */
export const SATURATED_SHARE = 0.95
export const EDGE = 0.02

/** Limits of each squashing function, for saturation. */
const LIMITS: Record<string, readonly [number, number] | undefined> = {
  sigmoid: [0, 1],
  'hard-sigmoid': [0, 1],
  tanh: [-1, 1],
}

interface Layout {
  readonly rows: number
  readonly units: number
  readonly positions: number
}

/** How many of a unit's outputs are non-zero, and how many sit at a limit. */
function scanUnit(
  data: ArrayLike<number>,
  { rows, units, positions }: Layout,
  u: number,
  limits: readonly [number, number] | undefined,
): { nonzero: number; atEdge: number } {
  let nonzero = 0
  let atEdge = 0
  const [lo, hi] = limits ?? [-Infinity, Infinity]
  for (let r = 0; r < rows; r++) {
    const base = (r * units + u) * positions
    for (let p = 0; p < positions; p++) {
      const v = data[base + p] ?? 0
      if (v !== 0) nonzero++
      if (v <= lo + EDGE || v >= hi - EDGE) atEdge++
    }
  }
  return { nonzero, atEdge }
}

/**
 * Reads a [rows, units, ...positions] activation tensor. Units are axis 1 (channels for images);
 * the positions after it are pooled with the rows.
 */
export function diagnoseUnits(
  type: string,
  shape: readonly number[],
  data: ArrayLike<number>,
): UnitDiagnostics | null {
  if (!DIAGNOSED_TYPES.includes(type) || shape.length < 2) return null
  const layout = {
    rows: shape[0] ?? 0,
    units: shape[1] ?? 0,
    positions: shape.slice(2).reduce((a, b) => a * b, 1),
  }
  const samples = layout.rows * layout.positions
  if (samples === 0 || layout.units === 0) return null
  const limits = LIMITS[type]
  const dead: number[] = []
  const saturated: number[] = []
  for (let u = 0; u < layout.units; u++) {
    const { nonzero, atEdge } = scanUnit(data, layout, u, limits)
    if (type === 'relu' && nonzero === 0) dead.push(u)
    if (limits && atEdge >= SATURATED_SHARE * samples) saturated.push(u)
  }
  return { type, units: layout.units, dead, saturated }
}
