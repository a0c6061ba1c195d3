// A quick look at a CSV file before the engine reads it: the header and the first rows, for the
// preview table and the target-column picker. It splits the file with the engine's own reader
// (engine/data/csv-parse.ts), so the columns shown are the ones the engine will judge.
import { detectDelimiter, parseCsvText } from '../../engine/data/csv-parse'

export interface CsvPreview {
  readonly delimiter: ',' | ';' | '\t'
  readonly header: readonly string[]
  readonly rows: readonly (readonly string[])[]
  /** Data rows in the file (records after the header, blank lines left out). */
  readonly rowCount: number
}

const asDelimiter = (d: string): CsvPreview['delimiter'] => (d === ';' || d === '\t' ? d : ',')

export function previewCsv(text: string, maxRows = 8): CsvPreview {
  const delimiter = asDelimiter(detectDelimiter(text))
  const records = parseCsvText(text, delimiter).records.filter((r) => !r.blank)
  const cells = (fields: readonly string[]): string[] => fields.map((f) => f.trim())
  return {
    delimiter,
    header: cells(records[0]?.fields ?? []),
    rows: records.slice(1, 1 + maxRows).map((r) => cells(r.fields)),
    rowCount: Math.max(0, records.length - 1),
  }
}
