// Golden-file comparison for printed IR: compares text with engine/test/goldens/<name>.txt;
// UPDATE_GOLDENS=1 rewrites the files (then read the diff before committing it).

import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { expect } from 'vitest'

const dir = new URL('./goldens/', import.meta.url)

export function expectGolden(name: string, text: string): void {
  const file = new URL(`${name}.txt`, dir)
  if (process.env.UPDATE_GOLDENS === '1') writeFileSync(file, text)
  if (!existsSync(file)) throw new Error(`no golden ${name}.txt: run with UPDATE_GOLDENS=1`)
  expect(text).toBe(readFileSync(file, 'utf8'))
}
