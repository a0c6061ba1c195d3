// A quick look at a CSV file before the engine reads it: the header and the first rows, for the
// preview table and the target-column picker. The engine's reader (engine/data/csv.ts) remains
// the judge of the file; this only splits cells, honouring quotes.

export interface CsvPreview {
  readonly delimiter: ',' | ';' | '\t'
  readonly header: readonly string[]
  readonly rows: readonly (readonly string[])[]
  /** Data rows in the file (non-empty lines after the header). */
  readonly rowCount: number
}

const DELIMITERS = [',', ';', '\t'] as const

/** The delimiter that splits the header line into the most cells. */
export function guessDelimiter(headerLine: string): ',' | ';' | '\t' {
  let best: ',' | ';' | '\t' = ','
  let most = 0
  for (const d of DELIMITERS) {
    const n = splitLine(headerLine, d).length
    if (n > most) {
      most = n
      best = d
    }
  }
  return best
}

/** Splits one line into cells; "a, ""quoted"" cell" keeps its delimiter and quotes. */
export function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? ''
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true
      cell = ''
    } else if (ch === delimiter) {
      cells.push(cell.trim())
      cell = ''
    } else cell += ch
  }
  cells.push(cell.trim())
  return cells
}

export function previewCsv(text: string, maxRows = 8): CsvPreview {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  const first = lines[0] ?? ''
  const delimiter = guessDelimiter(first)
  return {
    delimiter,
    header: splitLine(first, delimiter),
    rows: lines.slice(1, 1 + maxRows).map((l) => splitLine(l, delimiter)),
    rowCount: Math.max(0, lines.length - 1),
  }
}
