// The recent-files list (File ▸ Open Recent): absolute paths, newest first, kept as JSON in the
// settings folder the host passes in. A missing or damaged list reads as empty, never an error.
import { mkdir, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { writeFileAtomic } from './atomic-file'

export const RECENT_FILE = 'recent-files.json'
const FORMAT = 'dendrite.recent-files'

export interface RecentFile {
  readonly path: string
  /** Whether the file is still there; the menu greys out the ones that are not. */
  readonly exists: boolean
}

export interface RecentFiles {
  list(): Promise<RecentFile[]>
  /** Puts a path first (opening or saving it); returns the new list. */
  add(path: string): Promise<RecentFile[]>
  remove(path: string): Promise<RecentFile[]>
  clear(): Promise<void>
  /** Whether a path is on the list: the bridge opens only files the user chose. */
  has(path: string): Promise<boolean>
}

export function createRecentFiles(settingsDir: string, max = 10): RecentFiles {
  const file = join(settingsDir, RECENT_FILE)

  const read = async (): Promise<string[]> => {
    try {
      const value: unknown = JSON.parse(await readFile(file, 'utf8'))
      if (!isRecord(value) || value.format !== FORMAT || !Array.isArray(value.paths)) return []
      return value.paths.filter((p): p is string => typeof p === 'string').slice(0, max)
    } catch {
      return []
    }
  }
  const write = async (paths: readonly string[]): Promise<void> => {
    await mkdir(settingsDir, { recursive: true })
    const text = `${JSON.stringify({ format: FORMAT, version: 1, paths }, null, 2)}\n`
    await writeFileAtomic(file, new TextEncoder().encode(text))
  }
  const describe = (paths: readonly string[]) => Promise.all(paths.map(withExists))
  const change = async (edit: (paths: string[]) => string[]): Promise<RecentFile[]> => {
    const next = edit(await read()).slice(0, max)
    await write(next)
    return describe(next)
  }

  return {
    list: async () => describe(await read()),
    add: (path) => change((paths) => [resolve(path), ...paths.filter((p) => p !== resolve(path))]),
    remove: (path) => change((paths) => paths.filter((p) => p !== resolve(path))),
    clear: () => write([]),
    has: async (path) => (await read()).includes(resolve(path)),
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null
}

async function withExists(path: string): Promise<RecentFile> {
  try {
    return { path, exists: (await stat(path)).isFile() }
  } catch {
    return { path, exists: false }
  }
}
