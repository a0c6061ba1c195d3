// Curves as CSV text: one header row and one row per x, empty cells for gaps; numbers written
// in full precision so a spreadsheet reads back what the chart drew.

export interface CsvColumn {
  readonly name: string
  readonly values: readonly (number | null | undefined)[]
}

function cell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function columnsToCsv(columns: readonly CsvColumn[]): string {
  const rows = Math.max(0, ...columns.map((c) => c.values.length))
  const lines = [columns.map((c) => cell(c.name)).join(',')]
  for (let r = 0; r < rows; r++) {
    lines.push(
      columns
        .map((c) => {
          const v = c.values[r]
          return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v)
        })
        .join(','),
    )
  }
  return `${lines.join('\n')}\n`
}
