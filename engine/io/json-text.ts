// JSON text parsed, and where a problem is. V8 names a position for some syntax errors ("Expected
// ',' … at position 7") and not for others ("Unexpected token 'x'", "Unexpected end of JSON
// input"); for those momoa (ESLint's JSON parser) finds the place. Momoa's tree also shows the
// keys an object has twice, which JSON.parse resolves silently (the last wins). Nesting is
// counted before momoa, which recurses, sees the text: past MAX_JSON_DEPTH it is refused.
import { parse as parseTree } from '@humanwhocodes/momoa'
import type { ValueNode } from '@humanwhocodes/momoa'
import { utf8Length } from './utf8'

/** A place in a JSON document: object keys and array indices from the top. */
export type JsonPath = readonly (string | number)[]

export type JsonParsed =
  | { readonly ok: true; readonly value: unknown }
  /** offset: where in the text (UTF-16 units) the error is, when it could be found. */
  | { readonly ok: false; readonly offset: number | null; readonly message: string }

export function parseJson(text: string): JsonParsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err)
    // Only V8's own tail names a position: a quoted piece of the text may say the same words.
    const position = POSITION.exec(raw)
    const offset = position ? Number(position[1]) : treeErrorOffset(text)
    return { ok: false, offset, message: engineMessage(raw) }
  }
}

/** V8's " in JSON at position 7" (with " (line 1 column 8)" in newer ones), ending its message. */
const POSITION = /(?: in JSON)? at position (\d+)(?: \(line \d+ column \d+\))?$/

// eslint-disable-next-line no-control-regex -- control characters are what it escapes
const CONTROL = /[\u0000-\u001f\u2028\u2029]/g

/**
 * V8's message on one line and without the text it quotes: "Unexpected token 'N', "{"a": NaN}"
 * is not valid JSON", or "…, ..."  "x": NaN,\n  "... is not valid JSON" for a longer text, keeps
 * its first clause; "… in JSON at position 7" loses the position (the caller gives the place).
 */
function engineMessage(raw: string): string {
  const message = raw
    .replace(POSITION, '')
    .replace(/, (?:\.\.\.)?"[\s\S]*is not valid JSON$/, '')
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return message.length > 200 ? `${message.slice(0, 200)}…` : message
}

/** "line 4, column 1 (byte 50)": where an offset of the text is, as an editor and a hex view count. */
export function placeInText(text: string, offset: number): string {
  const end = Math.max(0, Math.min(offset, text.length))
  let line = 1
  let lineStart = 0
  for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) {
    line++
    lineStart = at + 1
  }
  return `line ${line}, column ${end - lineStart + 1} (byte ${utf8Length(text.slice(0, end))})`
}

/** "not valid JSON at line 2, column 7 (byte 6): Unexpected token 'x'", or without the place. */
export function jsonSyntaxText(
  text: string,
  failed: { offset: number | null; message: string },
): string {
  const at = failed.offset === null ? '' : ` at ${placeInText(text, failed.offset)}`
  return `not valid JSON${at}: ${failed.message}`
}

/** A key an object of the text has twice: JSON.parse keeps the last and says nothing. */
export interface DuplicateKey {
  /** The path of the object holding it (empty for the top level). */
  readonly path: JsonPath
  readonly key: string
  /** Where the second one is (its opening quote), in UTF-16 units of the text. */
  readonly offset: number
}

/** Every key an object of the text has twice, in the order they come; none in a text that is not JSON. */
export function duplicateKeys(text: string): DuplicateKey[] {
  if (deepestOpening(text) !== null) return []
  const tree = treeOf(text)
  return tree === null ? [] : keysTwice(tree)
}

/** Nesting deeper than this is refused by parseJsonDocument (a project nests about ten deep). */
export const MAX_JSON_DEPTH = 1000
/** How many keys given twice a refusal lists, one line each. */
const LISTED_DUPLICATES = 10
export type JsonDocument =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly errors: readonly string[] }

/**
 * A JSON document Dendrite wrote (a project, a graph): its value when it is valid JSON with no key
 * twice in an object and no more than MAX_JSON_DEPTH levels of nesting; otherwise each problem
 * at its JSON path and line, column and byte. A key given twice is refused rather than resolved:
 * JSON.parse would keep the last silently, and saving would lose the first.
 */
export function parseJsonDocument(text: string): JsonDocument {
  const parsed = parseJson(text)
  if (!parsed.ok) return { ok: false, errors: [jsonSyntaxText(text, parsed)] }
  const deep = deepestOpening(text)
  if (deep !== null) {
    return {
      ok: false,
      errors: [`nested deeper than ${MAX_JSON_DEPTH} levels at ${placeInText(text, deep)}`],
    }
  }
  const tree = treeOf(text)
  const twice = tree === null ? [] : keysTwice(tree)
  const errors = twice
    .slice(0, LISTED_DUPLICATES)
    .map(
      (d) =>
        `${formatJsonPath([...d.path, d.key])}: the key is there twice; the second is at ` +
        placeInText(text, d.offset),
    )
  const more = twice.length - LISTED_DUPLICATES
  if (more > 0) errors.push(`and ${more} more keys are there twice`)
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: parsed.value }
}

/** "graph.nodes[1].attrs.units", a key that is not a name as ["a key"]; "(root)" for none. */
export function formatJsonPath(path: JsonPath): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`
    else out += `[${JSON.stringify(key)}]`
  }
  return out === '' ? '(root)' : out
}

/** The text's tree, or null when momoa refuses it. */
function treeOf(text: string): ValueNode | null {
  try {
    return parseTree(text, { mode: 'json' }).body
  } catch {
    return null
  }
}

/** Where momoa finds the text stops being JSON (JSON.parse refused it without a place). */
function treeErrorOffset(text: string): number | null {
  if (deepestOpening(text) !== null) return null
  try {
    parseTree(text, { mode: 'json' })
    return null
  } catch (err) {
    const offset = (err as { offset?: unknown }).offset
    if (typeof offset !== 'number') return null
    // Momoa places a text of only whitespace at its start; it ends there, with nothing.
    return /\S/.test(text.slice(offset)) ? offset : text.length
  }
}

/** The keys given twice in the tree's objects, in the order of the text. */
function keysTwice(tree: ValueNode): DuplicateKey[] {
  const found: DuplicateKey[] = []
  const stack: { node: ValueNode; path: JsonPath }[] = [{ node: tree, path: [] }]
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { node, path } = top
    if (node.type === 'Array') {
      node.elements.forEach((e, i) => stack.push({ node: e.value, path: [...path, i] }))
    } else if (node.type === 'Object') {
      const keys = new Set<string>()
      for (const { name, value } of node.members) {
        const key = name.type === 'String' ? name.value : name.name
        if (keys.has(key)) found.push({ path, key, offset: name.loc.start.offset })
        keys.add(key)
        stack.push({ node: value, path: [...path, key] })
      }
    }
  }
  return found.sort((a, b) => a.offset - b.offset)
}

/**
 * Where the text first opens a bracket or brace past MAX_JSON_DEPTH levels, or null. Strings
 * are skipped, so brackets inside them do not count.
 */
function deepestOpening(text: string): number | null {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++) {
        if (text.charCodeAt(i) === BACKSLASH) i++
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH) return i
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--
  }
  return null
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
