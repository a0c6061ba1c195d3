// Numbers from training, formatted for people: 98.7 %, 0.0341, 3.4 k steps/s, 1 min 20 s.
import { formatCount } from '../format'

/** 0.9871 → "98.7 %". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '–'
  const p = fraction * 100
  return `${p >= 99.95 && p < 100 ? '99.9' : p.toFixed(1)} %`
}

/** Three significant digits, plain or in e-notation for very small or large values. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : v < 0 ? '−∞' : '–'
  if (v === 0) return '0'
  const a = Math.abs(v)
  const text = a >= 1e5 || a < 1e-3 ? a.toExponential(1) : String(Number(a.toPrecision(3)))
  return v < 0 ? `−${text}` : text
}

/** "3.4 k steps/s", "850 steps/s". */
export function formatRate(stepsPerSecond: number): string {
  return `${formatCount(stepsPerSecond)} steps/s`
}

/** 42 → "42 s", 80 → "1 min 20 s", 3900 → "1 h 5 min"; under a second: "< 1 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–'
  if (seconds < 1) return '< 1 s'
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  if (s < 3600) {
    const rest = s % 60
    return rest === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${rest} s`
  }
  const minutes = Math.round((s % 3600) / 60)
  return minutes === 0 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 3600)} h ${minutes} min`
}
