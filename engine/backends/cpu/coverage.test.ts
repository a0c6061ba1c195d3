// Every primitive has a forward test: each op name must appear as op('<name>') in one of the
// kernel test files, so a new op without a reference test fails here.

import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { OP_NAMES } from '../../ir'

describe('kernel test coverage', () => {
  it('tests every op forward', () => {
    const dir = new URL('.', import.meta.url)
    const text = readdirSync(dir)
      .filter((f) => f.startsWith('kernels') && f.endsWith('.test.ts'))
      .map((f) => readFileSync(new URL(f, dir), 'utf8'))
      .join('\n')
    expect(OP_NAMES.filter((o) => !text.includes(`op('${o}')`))).toEqual([])
  })
})
