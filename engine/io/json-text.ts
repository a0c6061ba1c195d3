// JSON text parsed, and where a syntax error is. V8 names a position for some errors ("Expected
// ',' … at position 7") and not for others ("Unexpected token 'x'", "Unexpected end of JSON
// input"); for those jsonc-parser's scanner, with comments and trailing commas refused as in
// JSON, finds the place.
import { parse as scanJson, visit } from 'jsonc-parser'
import type { JSONPath, ParseError } from 'jsonc-parser'
import { utf8Length } from './utf8'

export type JsonParsed =
  | { readonly ok: true; readonly value: unknown }
  /** offset: where in the text (UTF-16 units) the error is, when it could be found. */
  | { readonly ok: false; readonly offset: number | null; readonly message: string }

export function parseJson(text: string): JsonParsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err)
    const message = raw
      .replace(/(?: in JSON)? at position \d+.*$/s, '')
      .replace(/, ".*" is not valid JSON$/s, '')
    const position = /position (\d+)/.exec(raw)
    return { ok: false, offset: position ? Number(position[1]) : firstScanError(text), message }
  }
}

function firstScanError(text: string): number | null {
  const errors: ParseError[] = []
  scanJson(text, errors, { disallowComments: true, allowTrailingComma: false })
  return errors[0]?.offset ?? null
}

/** "line 4, column 1 (byte 50)": where an offset of the text is, as an editor and a hex view count. */
export function placeInText(text: string, offset: number): string {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  return `line ${line}, column ${column} (byte ${utf8Length(before)})`
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
  readonly path: JSONPath
  readonly key: string
  /** Where the second one is, in UTF-16 units of the text. */
  readonly offset: number
}

export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = []
  const open: Set<string>[] = []
  visit(text, {
    onObjectBegin: () => void open.push(new Set()),
    onObjectEnd: () => void open.pop(),
    onObjectProperty: (key, offset, _length, _line, _column, path) => {
      const keys = open.at(-1)
      if (keys?.has(key) === true) found.push({ path: path(), key, offset })
      keys?.add(key)
    },
  })
  return found
}
