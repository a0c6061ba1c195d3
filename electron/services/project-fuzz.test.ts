// Fuzzing the project reader through the service: a few hundred truncated, bit-flipped,
// overwritten, re-zipped and foreign files. Each must be refused with messages that say where
// (zip byte offset, entry name, JSON path, CSV cell), or open to exactly the original project
// (a flip in a field nothing reads, such as a timestamp). Nothing may throw.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strToU8, unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import type { ProjectFile } from '../../engine/io/project-file'
import { readProjectFile, writeProjectFile } from '../../engine/io/project-file'
import { openProject } from './projects'
import { csvProject } from './test/fixtures'

/** Each message starts with where: a zip offset, an entry name, or a JSON project's path. */
const LOCATED = new RegExp(
  [
    'zip: (.+: )?byte \\d+: ',
    'zip: entry ".+" ',
    '(manifest\\.json|project\\.json|weights\\.safetensors|data/[^:]+): ',
    'JSON project: ([\\w.\\[\\]()]+: |not valid JSON at line \\d+)',
  ]
    .map((alternative) => `^${alternative}`)
    .join('|'),
)
const BYTE_LEVEL = new Set(['flipped', 'overwritten'])

function rng(seed: number) {
  let s = seed >>> 0
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return Math.floor((s / 2 ** 32) * n)
  }
}

type Case = { kind: string; bytes: Uint8Array }

function byteMutations(original: Uint8Array): Case[] {
  const pick = rng(42)
  const out: Case[] = []
  for (let i = 0; i < 100; i++) {
    out.push({ kind: 'truncated', bytes: original.slice(0, pick(original.length)) })
  }
  for (let i = 0; i < 120; i++) {
    const bytes = original.slice()
    for (let k = 0; k <= pick(3); k++) {
      const at = pick(bytes.length)
      bytes[at] = (bytes[at] ?? 0) ^ (1 << pick(8))
    }
    out.push({ kind: 'flipped', bytes })
  }
  for (let i = 0; i < 40; i++) {
    const bytes = original.slice()
    const start = pick(bytes.length)
    const fill = i % 2 === 0 ? () => 0 : () => pick(256)
    for (let k = start; k < Math.min(bytes.length, start + 1 + pick(64)); k++) bytes[k] = fill()
    out.push({ kind: 'overwritten', bytes })
  }
  return out
}

function rezipped(file: ProjectFile): Case[] {
  const entries = zipEntries(writeProjectFile(file))
  const variant = (kind: string, change: (e: Map<string, Uint8Array>) => void): Case => {
    const copy = new Map(entries)
    change(copy)
    return { kind, bytes: zipSync(Object.fromEntries(copy)) }
  }
  const json = (v: unknown) => strToU8(JSON.stringify(v))
  return [
    variant('no manifest', (e) => e.delete('manifest.json')),
    variant('newer version', (e) =>
      e.set('manifest.json', json({ format: 'dendrite.file', version: 99 })),
    ),
    variant('foreign manifest', (e) =>
      e.set('manifest.json', json({ format: 'other', version: 1 })),
    ),
    variant('bad JSON', (e) => e.set('project.json', strToU8('{"format": "dendrite.project",,}'))),
    variant('bad graph', (e) =>
      e.set('project.json', json({ format: 'dendrite.project', version: 1 })),
    ),
    variant('no CSV', (e) => e.delete('data/points.csv')),
    variant('bad CSV', (e) => e.set('data/points.csv', strToU8('a,b,label\n1,oops,x\n'))),
    variant('not UTF-8', (e) => e.set('project.json', new Uint8Array([0x7b, 0xff, 0xfe]))),
    variant('extra entry', (e) => e.set('notes.txt', strToU8('hello'))),
    variant('weights garbage', (e) => e.set('weights.safetensors', new Uint8Array(40).fill(7))),
    variant('weights of another graph', (e) => {
      const other = csvProject()
      const w = other.weights
      if (w) w.tensors['dense1.bias'] = { shape: [5], data: new Float32Array(5) }
      e.set(
        'weights.safetensors',
        zipEntries(writeProjectFile(other)).get('weights.safetensors') ?? new Uint8Array(),
      )
    }),
  ]
}

function foreign(): Case[] {
  const pick = rng(7)
  return [
    { kind: 'empty', bytes: new Uint8Array() },
    { kind: 'text', bytes: strToU8('hello, this is not a project\n') },
    { kind: 'PNG', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]) },
    { kind: 'random', bytes: Uint8Array.from({ length: 5000 }, () => pick(256)) },
    { kind: 'other zip', bytes: zipSync({ 'readme.md': strToU8('# hi') }) },
    { kind: 'JSON not a project', bytes: strToU8('{"hello": 1}') },
  ]
}

/** fflate's own unzip, for variants of files this test wrote itself. */
function zipEntries(bytes: Uint8Array): Map<string, Uint8Array> {
  return new Map(Object.entries(unzipSync(bytes)))
}

describe('project files fuzzed', () => {
  it('refuses each broken file cleanly or opens the original unchanged', async () => {
    const file = csvProject()
    const original = writeProjectFile(file)
    const expected = readProjectFile(original)
    const cases = [...byteMutations(original), ...rezipped(file), ...foreign()]
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-fuzz-'))
    const tally: Record<string, { refused: number; opened: number }> = {}
    for (const [i, c] of cases.entries()) {
      const path = join(dir, `case-${i}.dendrite`)
      writeFileSync(path, c.bytes)
      const opened = await openProject(path)
      const t = (tally[c.kind] ??= { refused: 0, opened: 0 })
      if (opened.ok) {
        t.opened++
        expect(opened.file, `${c.kind} #${i} opened changed`).toEqual(expected.ok && expected.file)
        continue
      }
      t.refused++
      expect(opened.errors.length, `${c.kind} #${i}`).toBeGreaterThan(0)
      for (const e of opened.errors) expect(e, `${c.kind} #${i}`).toMatch(LOCATED)
    }
    console.log(`fuzzed ${cases.length} files: ${JSON.stringify(tally)}`)
    const opened = Object.entries(tally).filter(([k, t]) => !BYTE_LEVEL.has(k) && t.opened > 0)
    expect(opened).toEqual([])
  }, 60_000)
})
