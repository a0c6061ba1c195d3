// Atomic writes that fail: real files in a temporary folder. The old file stays whole, no
// temporary file stays behind, and the message names the user's file, not a hidden temporary one.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFilesAtomic } from '../../engine/io/atomic-file-node'
import { FileWriteError, writeFileAtomic } from './atomic-file'

const bytes = new TextEncoder().encode('NEW CONTENT')

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'dendrite-atomic-'))
}

async function failure(write: Promise<void>): Promise<FileWriteError> {
  const err: unknown = await write.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(FileWriteError)
  return err as FileWriteError
}

describe('writeFileAtomic when it cannot write', () => {
  it('refuses when <name>.bak is a folder, keeping the old file and no temporary file', async () => {
    const dir = folder()
    const path = join(dir, 'a.dendrite')
    writeFileSync(path, 'OLD CONTENT')
    mkdirSync(`${path}.bak`)
    const err = await failure(writeFileAtomic(path, bytes, { backup: true }))
    expect(err.message).toBe(
      `cannot save ${path}: its previous version is kept as ${path}.bak, which is a folder ` +
        `(move or rename it); ${path} is unchanged`,
    )
    expect(err.message).not.toMatch(/\.tmp/)
    expect(readdirSync(dir).sort()).toEqual(['a.dendrite', 'a.dendrite.bak'])
    expect(readFileSync(path, 'utf8')).toBe('OLD CONTENT')
  })

  it('says the target is a folder, leaving no temporary file', async () => {
    const dir = folder()
    const path = join(dir, 'dir.dendrite')
    mkdirSync(path)
    const err = await failure(writeFileAtomic(path, bytes, { backup: true }))
    expect(err.message).toBe(`cannot write ${path}: it is a folder`)
    expect(err.code).toBe('EISDIR')
    expect(readdirSync(dir)).toEqual(['dir.dendrite'])
    expect(readdirSync(path)).toEqual([])
  })

  it('says the folder is missing, naming the file rather than its temporary name', async () => {
    const dir = folder()
    const path = join(dir, 'nope', 'x.dendrite')
    const err = await failure(writeFileAtomic(path, bytes))
    expect(err.message).toBe(`cannot write ${path}: its folder does not exist`)
    expect(readdirSync(dir)).toEqual([])
  })

  it('still writes and keeps the previous version as <name>.bak', async () => {
    const dir = folder()
    const path = join(dir, 'a.dendrite')
    writeFileSync(path, 'OLD CONTENT')
    await writeFileAtomic(path, bytes, { backup: true })
    expect(readFileSync(path, 'utf8')).toBe('NEW CONTENT')
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('OLD CONTENT')
    expect(readdirSync(dir).sort()).toEqual(['a.dendrite', 'a.dendrite.bak'])
  })
})

describe('writeFilesAtomic: files that belong together', () => {
  it('replaces none of them when one cannot be written, leaving no temporary file', async () => {
    const dir = folder()
    const weights = join(dir, 'm.safetensors')
    writeFileSync(weights, 'OLD WEIGHTS')
    const module = join(dir, 'missing', 'm.py')
    const err = await failure(
      writeFilesAtomic([
        { path: weights, data: bytes },
        { path: module, data: bytes },
      ]),
    )
    expect(err.message).toBe(`cannot write ${module}: its folder does not exist`)
    expect(readdirSync(dir)).toEqual(['m.safetensors'])
    expect(readFileSync(weights, 'utf8')).toBe('OLD WEIGHTS')
  })

  it('writes them all when it can', async () => {
    const dir = folder()
    const [a, b] = [join(dir, 'm.safetensors'), join(dir, 'm.py')]
    writeFileSync(b, 'OLD MODULE')
    await writeFilesAtomic([
      { path: a, data: bytes },
      { path: b, data: new TextEncoder().encode('NEW MODULE') },
    ])
    expect(readdirSync(dir).sort()).toEqual(['m.py', 'm.safetensors'])
    expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]).toEqual([
      'NEW CONTENT',
      'NEW MODULE',
    ])
  })
})
