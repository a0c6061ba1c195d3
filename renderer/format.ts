// Numbers people read, formatted for people: 24, 1.2 k, 3.4 M parameters. The one place the
// studio turns counts into text, so the canvas, the inspector and the status bar agree.

const UNITS = ['', ' k', ' M', ' G', ' T'] as const

/** 24 → "24", 1234 → "1.2 k", 12_345 → "12.3 k", 123_456 → "123 k", 1.2e6 → "1.2 M". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (n < 0) return `−${formatCount(-n)}`
  if (n < 1000) return String(Math.round(n))
  let unit = 0
  let value = n
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }
  let text = roundForUnit(value)
  // 999_950 rounds to "1000 k": carry into the next unit instead.
  if (Number(text) >= 1000 && unit < UNITS.length - 1) {
    unit++
    text = roundForUnit(value / 1000)
  }
  return `${text}${UNITS[unit] ?? ''}`
}

/** One decimal below 100 (dropping ".0"), whole numbers above: three significant digits at most. */
function roundForUnit(value: number): string {
  if (value >= 100) return String(Math.round(value))
  const rounded = Math.round(value * 10) / 10
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1)
}

/** 654_675 → "654,675": a whole count, grouped (a counter that moves by one, a title). */
export function formatExact(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n)
}

/** "no parameters", "1 parameter", "24 parameters", "1.2 k parameters". */
export function formatParams(n: number): string {
  if (n === 0) return 'no parameters'
  if (n === 1) return '1 parameter'
  return `${formatCount(n)} parameters`
}

/** 160 → "160 B", 1588 → "1.6 kB", 4.2e6 → "4.2 MB". */
export function formatBytes(n: number): string {
  return n < 1000 ? `${formatCount(n)} B` : `${formatCount(n)}B`
}
