// The tuner's memory in Node (the CLI on a GPU machine), where there is no IndexedDB: one JSON
// file of kept choices by key, in the user's cache folder. A file that is not such an object is
// reported and left as it is (each read and write then fails, and the tuner times afresh);
// a write goes through a temporary file and a rename, so a stopped run leaves no half a file.
// Node-only, hence the file name.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import type { TuneMemory } from './tune-memory'

/** Where the CLI keeps the tuner's choices: the platform's cache folder. */
export function tuningFile(env: NodeJS.ProcessEnv = process.env, platform = process.platform) {
  const home = homedir()
  const cache =
    platform === 'win32'
      ? (env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Caches')
        : env.XDG_CACHE_HOME || join(home, '.cache')
  return join(cache, 'dendrite', 'webgpu-tuning.json')
}

/** The kept choices in the JSON file at `path` (absent: none yet). */
export function fileMemory(path: string): TuneMemory {
  let kept: Promise<Record<string, unknown>> | null = null
  const load = (): Promise<Record<string, unknown>> => {
    kept ??= readKept(path)
    return kept
  }
  return {
    read: async (key) => (await load())[key],
    write: async (key, value) => {
      const all = await load()
      all[key] = value
      await mkdir(dirname(path), { recursive: true })
      const temp = `${path}.${process.pid}.tmp`
      await writeFile(temp, `${JSON.stringify(all, null, 1)}\n`)
      await rename(temp, path)
    },
  }
}

async function readKept(path: string): Promise<Record<string, unknown>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw err
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new Error(`${path} is not JSON (${String(err)}); it is left as it is`, {
      cause: err,
    })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${path} holds no object of kept choices; it is left as it is`)
  }
  return value as Record<string, unknown>
}
