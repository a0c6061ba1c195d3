// Saving and opening project files on disk: what a save keeps, what a killed save leaves, and
// the recent-files list and autosave around them.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeProjectFile } from '../../engine/io/project-file'
import { writeSafetensors } from '../../engine/io/safetensors'
import { createAutosave, discardRecovery, findRecovery, recoveryPath } from './autosave'
import { openProject, saveProject, saveProjectBytes } from './projects'
import { createRecentFiles } from './recent-files'
import { csvProject, largeProject } from './test/fixtures'

const repo = resolve(import.meta.dirname, '../..')
const folder = () => mkdtempSync(join(tmpdir(), 'dendrite-projects-'))

describe('saving and opening', () => {
  it('reopens the same graph, data, settings, curves and byte-identical weights', async () => {
    const path = join(folder(), 'points.dendrite')
    const saved = csvProject()
    await saveProject(path, saved)
    const opened = await openProject(path)
    if (!opened.ok) throw new Error(opened.errors.join('\n'))
    expect(opened.file.project).toEqual(saved.project)
    expect(opened.file.csv).toBe(saved.csv)
    const w = opened.file.weights
    const before = saved.weights
    expect(w && writeSafetensors(w.tensors, w.metadata)).toEqual(
      before && writeSafetensors(before.tensors, before.metadata),
    )
  })

  it('keeps the previous version as <name>.dendrite.bak', async () => {
    const path = join(folder(), 'p.dendrite')
    await saveProject(path, csvProject(1))
    await saveProject(path, csvProject(2))
    expect(readFileSync(`${path}.bak`)).toEqual(Buffer.from(writeProjectFile(csvProject(1))))
    expect(readFileSync(path)).toEqual(Buffer.from(writeProjectFile(csvProject(2))))
    expect(readdirSync(join(path, '..')).sort()).toEqual(['p.dendrite', 'p.dendrite.bak'])
  })

  it('refuses to save bytes that are not a valid project, leaving the old file', async () => {
    const path = join(folder(), 'p.dendrite')
    await saveProject(path, csvProject())
    await expect(saveProjectBytes(path, new Uint8Array([1, 2, 3]))).rejects.toThrow(/invalid/)
    expect((await openProject(path)).ok).toBe(true)
  })

  it('opens a JSON project with its CSV beside it, as format version 0', async () => {
    const dir = folder()
    const { project, csv = '' } = csvProject()
    writeFileSync(join(dir, 'points.csv'), csv)
    writeFileSync(
      join(dir, 'p.json'),
      JSON.stringify({ format: 'dendrite.project', version: 1, ...project }),
    )
    const opened = await openProject(join(dir, 'p.json'))
    expect(opened.ok && opened.migratedFrom).toBe(0)
    expect(opened.ok && opened.file.csv).toBe(csv)
  })

  it('refuses a JSON project whose CSV is not UTF-8, naming the file and the byte', async () => {
    const dir = folder()
    const { project } = csvProject()
    // "München" in Latin-1: 0xFC at byte 14 is not UTF-8.
    const latin1 = Buffer.concat([
      Buffer.from('x,y,label\n1,2,M'),
      Buffer.from([0xfc]),
      Buffer.from('nchen\n3,4,Paris\n'),
    ])
    writeFileSync(join(dir, 'points.csv'), latin1)
    writeFileSync(
      join(dir, 'p.json'),
      JSON.stringify({ format: 'dendrite.project', version: 1, ...project }),
    )
    const opened = await openProject(join(dir, 'p.json'))
    expect(opened.ok ? [] : opened.errors).toEqual([
      `data.name: ${join(dir, 'points.csv')}: byte 15: not UTF-8 text`,
    ])
  })

  it('says why a missing file or a folder cannot be opened', async () => {
    const dir = folder()
    const missing = await openProject(join(dir, 'nope.dendrite'))
    expect(missing.ok ? '' : missing.errors[0]).toMatch(/cannot read .*nope\.dendrite.*ENOENT/)
    const notFile = await openProject(dir)
    expect(notFile.ok ? '' : notFile.errors[0]).toMatch(/is not a file/)
  })
})

describe('a save killed part-way', () => {
  it('leaves a file that opens (SIGKILL during the write, three times)', async () => {
    const dir = folder()
    const path = join(dir, 'large.dendrite')
    const versions = [1, 2].map((seed) => Buffer.from(writeProjectFile(largeProject(16, seed))))
    let partial = 0
    for (const delayMs of [0, 1, 3]) {
      await killDuringSave(path, delayMs)
      const temps = readdirSync(dir).filter((n) => n.endsWith('.tmp'))
      partial += temps.filter(
        (n) => statSync(join(dir, n)).size < (versions[0]?.length ?? 0),
      ).length
      const opened = await openProject(path)
      expect(opened.ok, opened.ok ? '' : opened.errors.join('\n')).toBe(true)
      expect(versions.some((v) => v.equals(readFileSync(path)))).toBe(true)
      expect((await openProject(`${path}.bak`)).ok).toBe(true)
    }
    console.log(`killed saves: ${partial} of 3 left a partly written temporary file`)
    expect(partial).toBeGreaterThan(0)
    await saveProject(path, csvProject())
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
  }, 60_000)
})

/** Starts a child saving over `path` in a loop; kills it `delayMs` after its third save has
 * written its first chunk to the temporary file. */
function killDuringSave(path: string, delayMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'electron/services/test/save-child.ts', path, '16'],
      { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('wrote 3 ') && !child.killed) {
        setTimeout(() => child.kill('SIGKILL'), delayMs)
      }
    })
    child.on('exit', (_, signal) =>
      signal === 'SIGKILL' ? done() : fail(new Error(`the saving child ended: ${out}`)),
    )
  })
}

describe('recent files', () => {
  it('lists paths newest first, without duplicates, marking missing files', async () => {
    const dir = folder()
    const recent = createRecentFiles(join(dir, 'settings'), 3)
    const a = join(dir, 'a.dendrite')
    writeFileSync(a, '')
    for (const name of ['a', 'b', 'c', 'a', 'd']) await recent.add(join(dir, `${name}.dendrite`))
    const list = await recent.list()
    expect(list.map((f) => f.path)).toEqual(['d', 'a', 'c'].map((n) => join(dir, `${n}.dendrite`)))
    expect(list.map((f) => f.exists)).toEqual([false, true, false])
    expect(await recent.has(a)).toBe(true)
    await recent.remove(a)
    expect(await recent.has(a)).toBe(false)
  })

  it('reads a damaged list as empty', async () => {
    const dir = folder()
    writeFileSync(join(dir, 'recent-files.json'), '{"paths": [1, 2')
    expect(await createRecentFiles(dir).list()).toEqual([])
  })
})

describe('autosave', () => {
  it('writes a recovery file after the interval, and removes it on save', async () => {
    const path = recoveryPath(folder())
    const bytes = writeProjectFile(csvProject())
    const autosave = createAutosave({ path, snapshot: () => bytes, intervalMs: 30 })
    expect(await findRecovery(path)).toBeNull()
    autosave.markDirty()
    await new Promise((r) => setTimeout(r, 120))
    const found = await findRecovery(path)
    expect(found?.ok && found.file.project.name).toBe('CSV sample')
    await autosave.markSaved()
    expect(await findRecovery(path)).toBeNull()
    autosave.markDirty()
    await autosave.flush()
    expect((await findRecovery(path))?.ok).toBe(true)
    await discardRecovery(path)
    autosave.stop()
  })

  it('reports a failed write and tries again at the next flush', async () => {
    const errors: unknown[] = []
    const dir = folder()
    const autosave = createAutosave({
      path: join(dir, 'missing-folder', 'recovery.dendrite'),
      snapshot: () => new Uint8Array([1]),
      onError: (err) => errors.push(err),
    })
    autosave.markDirty()
    await autosave.flush()
    expect(errors).toHaveLength(1)
    await autosave.flush()
    expect(errors).toHaveLength(2)
    autosave.stop()
  })

  it('removes the older recovery file when a newer one cannot be written', async () => {
    const path = recoveryPath(folder())
    const errors: unknown[] = []
    let full = false
    const snapshot = () => {
      if (full) throw new Error('ENOSPC: no space left on device')
      return writeProjectFile(csvProject())
    }
    const autosave = createAutosave({ path, snapshot, onError: (err) => errors.push(err) })
    autosave.markDirty()
    await autosave.flush()
    expect((await findRecovery(path))?.ok).toBe(true)
    full = true
    autosave.markDirty()
    await autosave.flush()
    expect(errors).toHaveLength(1)
    expect(await findRecovery(path)).toBeNull()
    autosave.stop()
  })
})
