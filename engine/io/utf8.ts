// Strict UTF-8: text files (a project's entries, a CSV picked or named beside a project, a JSON
// project) are decoded with every byte checked, and a byte that is not UTF-8 is reported at its
// offset, never replaced by U+FFFD. Plain code with no imports: the renderer uses it too.

export const utf8Length = (text: string): number => new TextEncoder().encode(text).length

/** The bytes as UTF-8 text (a BOM dropped), or undefined after pushing the first bad byte's offset. */
export function utf8Text(
  name: string,
  bytes: Uint8Array | undefined,
  errors: string[],
): string | undefined {
  if (!bytes) {
    errors.push(`${name}: missing`)
    return undefined
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    const bad = firstBadUtf8(bytes)
    // Valid UTF-8 that fails to decode is longer than a JavaScript string may be.
    errors.push(
      bad < bytes.length
        ? `${name}: byte ${bad}: not UTF-8 text`
        : `${name}: too large to read as text (${bytes.length} bytes)`,
    )
    return undefined
  }
}

/** Offset of the first byte that breaks UTF-8 (the whole length when none does). */
export function firstBadUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const lead = utf8Lead(bytes[i] ?? 0)
    if (lead === null) return i
    for (let k = 1; k <= lead.follow; k++) {
      const b = bytes[i + k]
      const [lo, hi] = k === 1 ? [lead.lo, lead.hi] : [0x80, 0xbf]
      if (b === undefined || b < lo || b > hi) return i
    }
    i += lead.follow + 1
  }
  return bytes.length
}

/**
 * How many continuation bytes a lead byte announces, and the range of the first: narrower after
 * E0 and F0 (no overlong forms), ED (no surrogates) and F4 (nothing past U+10FFFF); null for a
 * byte that cannot lead.
 */
function utf8Lead(b: number): { follow: number; lo: number; hi: number } | null {
  if (b < 0x80) return { follow: 0, lo: 0, hi: 0 }
  if (b >= 0xc2 && b < 0xe0) return { follow: 1, lo: 0x80, hi: 0xbf }
  if (b >= 0xe0 && b < 0xf0) {
    return { follow: 2, lo: b === 0xe0 ? 0xa0 : 0x80, hi: b === 0xed ? 0x9f : 0xbf }
  }
  if (b >= 0xf0 && b < 0xf5) {
    return { follow: 3, lo: b === 0xf0 ? 0x90 : 0x80, hi: b === 0xf4 ? 0x8f : 0xbf }
  }
  return null
}
