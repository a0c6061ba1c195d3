// Values larger than one storage binding may hold (maxStorageBufferBindingSize) are bound in
// pieces: consecutive ranges of their buffer, each a binding of its own, aligned to the device's
// offset alignment. A kernel's loads and stores of such a value go through accessor functions
// that pick the piece, so every kind of kernel works unchanged, at a branch per access of a
// pieced value (others keep their plain array accesses). Pieces count as bindings wherever the
// schedule counts them. A kernel of elementwise ops only whose pieced values all have its size
// runs once per piece instead (one dispatch per range, one binding per value, no accessors).

import type { WgslProgram } from './program'

/** Floats in one piece: the binding limit, rounded down to the offset alignment. */
export function pieceFloats(limits: {
  readonly maxStorageBufferBindingSize: number
  readonly minStorageBufferOffsetAlignment: number
}): number {
  const align = Math.max(4, limits.minStorageBufferOffsetAlignment)
  return (Math.floor(limits.maxStorageBufferBindingSize / align) * align) / 4
}

/** Bindings a value of `floats` floats takes. */
export function piecesOf(floats: number, piece: number): number {
  return Math.max(1, Math.ceil(floats / piece))
}

/** Bindings each slot of a program takes (its reads, then its writes). */
export function slotBindings(g: Pick<WgslProgram, 'reads' | 'writes' | 'pieces'>): number[] {
  const p = g.pieces
  return [...g.reads, ...g.writes].map((_, i) =>
    p === undefined || p.ranged !== undefined ? 1 : piecesOf(p.slots[i] ?? 0, p.floats),
  )
}

/**
 * Whether a kernel of elementwise ops only over `count` elements runs once per piece: every
 * slot in pieces has its size, so pass c binds piece c of each and the rest whole.
 */
export function runsInRanges(slotFloats: readonly number[], count: number, piece: number) {
  const pieced = slotFloats.filter((n) => piecesOf(n, piece) > 1)
  return pieced.length > 0 && pieced.every((n) => n === count)
}

/** A ranged kernel's accesses of its values in pieces: `name[e]` → `name[(e) - u.base]`. */
export function fromBase(text: string, ranged: ReadonlySet<string>): string {
  return rewriteAccesses(text, (name, index, value) => {
    if (!ranged.has(name)) return null
    const access = `${name}[(${index}) - u.base]`
    return value === undefined ? access : `${access} = ${value}`
  })
}

/** A binding slot of a kernel (`r0`, `w1`, …) and the pieces it is bound in. */
export interface Slot {
  readonly name: string
  readonly write: boolean
  readonly pieces: number
}

/**
 * Declarations from binding `first` on: a slot of one piece as itself, a pieced slot as
 * `name_0`, `name_1`, … and its accessors `name_at(e)` (and `name_put(e, v)` when written).
 * Slots named in `vec4` hold vec4s (never pieced: accessors index floats).
 */
export function slotDeclarations(
  slots: readonly Slot[],
  piece: number,
  first: number,
  vec4: ReadonlySet<string>,
): string[] {
  let binding = first
  const access = (s: Slot): string => (s.write ? 'read_write' : 'read')
  return slots.flatMap((s) => {
    const type = `array<${vec4.has(s.name) ? 'vec4<f32>' : 'f32'}>`
    if (s.pieces === 1) {
      return [`@group(0) @binding(${binding++}) var<storage, ${access(s)}> ${s.name}: ${type};`]
    }
    const parts = Array.from({ length: s.pieces }, (_, c) => {
      return `@group(0) @binding(${binding++}) var<storage, ${access(s)}> ${s.name}_${c}: ${type};`
    })
    return [...parts, ...accessors(s, piece)]
  })
}

function accessors(s: Slot, piece: number): string[] {
  const cases = (body: (part: string, index: string) => string): string =>
    Array.from({ length: s.pieces }, (_, c) => {
      const index = c === 0 ? 'e' : `e - ${c * piece}u`
      const line = body(`${s.name}_${c}`, index)
      return c === s.pieces - 1 ? `  ${line}` : `  if (e < ${(c + 1) * piece}u) { ${line} }`
    }).join('\n')
  const at = `fn ${s.name}_at(e: u32) -> f32 {\n${cases((p, i) => `return ${p}[${i}];`)}\n}`
  if (!s.write) return [at]
  const put = `fn ${s.name}_put(e: u32, v: f32) {\n${cases((p, i) => `${p}[${i}] = v; return;`)}\n}`
  return [at, put]
}

/** Loads `name[e]` → `name_at(e)` and stores `name[e] = v;` → `name_put(e, v);`. */
export function throughAccessors(text: string, pieced: ReadonlySet<string>): string {
  return rewriteAccesses(text, (name, index, value) => {
    if (!pieced.has(name)) return null
    return value === undefined ? `${name}_at(${index})` : `${name}_put(${index}, ${value})`
  })
}

/**
 * Rewrites every `rK[…]` and `wK[…]` in generated WGSL, innermost first. `rewrite` gets the
 * binding's name, the index text and, for a store `wK[…] = value;`, the value's text (the
 * replacement then stands for the store up to its semicolon); null keeps the access as it is.
 */
export function rewriteAccesses(
  text: string,
  rewrite: (name: string, index: string, value?: string) => string | null,
): string {
  let out = text
  let end = out.length
  for (;;) {
    const matches = [...out.slice(0, end).matchAll(/\b([rw]\d+)\[/g)]
    const last = matches.at(-1)
    if (last === undefined) return out
    const name = last[1] ?? ''
    const start = last.index ?? 0
    const open = start + last[0].length - 1
    const close = matchingBracket(out, open)
    const index = out.slice(open + 1, close)
    const store = /^\s*=(?!=)/.exec(out.slice(close + 1))
    const stop = store === null ? close + 1 : out.indexOf(';', close + 1)
    const value = store === null ? undefined : out.slice(close + 1 + store[0].length, stop).trim()
    const made = rewrite(name, index, value)
    if (made !== null) out = `${out.slice(0, start)}${made}${out.slice(stop)}`
    end = start
  }
}

function matchingBracket(text: string, open: number): number {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === '[') depth++
    else if (text[i] === ']' && --depth === 0) return i
  }
  throw new Error('webgpu: unbalanced brackets in generated WGSL')
}
