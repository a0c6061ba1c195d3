// Smoothing for noisy curves: an exponential moving average with TensorBoard's debiasing, so
// the first points are not dragged toward zero. Gaps (null, NaN) stay gaps.

/** weight 0 returns the values unchanged; 0.99 is very smooth. */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.max(0, Math.min(0.999, weight))
  if (w === 0) return values.slice()
  let last = 0
  let seen = 0
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null
    last = last * w + (1 - w) * v
    seen++
    return last / (1 - Math.pow(w, seen))
  })
}
