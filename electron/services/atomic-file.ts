// Writing a file so that a crash, a kill or a full disk part-way leaves the old file or the new
// one, never a broken one: write a temporary file beside the target, fsync it, keep the previous
// version as <name>.bak, rename the temporary file over the target, fsync the folder.
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { copyFile, link, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export interface AtomicWriteOptions {
  /** Keep the file being replaced as `<path>.bak`. */
  readonly backup?: boolean
  /** Called after each chunk reaches the temporary file: bytes written so far (progress). */
  readonly onProgress?: (written: number) => void
}

const CHUNK = 1 << 20

/** The temporary name a write to `path` uses: hidden, beside it, naming the writing process. */
export function tempName(path: string, pid = process.pid): string {
  return join(dirname(path), `.${basename(path)}.${pid}.${randomBytes(4).toString('hex')}.tmp`)
}

export async function writeFileAtomic(
  path: string,
  data: Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  await removeStaleTemps(path)
  const temp = tempName(path)
  try {
    await writeAndSync(temp, data, options.onProgress)
    if (options.backup && (await exists(path))) await keepBackup(path)
    await rename(temp, path)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
  await syncFolder(dirname(path))
}

async function writeAndSync(
  path: string,
  data: Uint8Array,
  onProgress?: (written: number) => void,
): Promise<void> {
  const file = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644)
  try {
    for (let at = 0; at < data.length; at += CHUNK) {
      const chunk = data.subarray(at, Math.min(data.length, at + CHUNK))
      let written = 0
      while (written < chunk.length) {
        written += (await file.write(chunk, written, chunk.length - written)).bytesWritten
      }
      onProgress?.(at + chunk.length)
    }
    await file.sync()
  } finally {
    await file.close()
  }
}

/** <path>.bak becomes the current file: a hard link when the disk allows, else a synced copy. */
async function keepBackup(path: string): Promise<void> {
  const backup = `${path}.bak`
  const temp = tempName(backup)
  try {
    await link(path, temp)
  } catch {
    await copyFile(path, temp)
    const copy = await open(temp, 'r+')
    await copy.sync().finally(() => copy.close())
  }
  await rename(temp, backup)
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

/** Makes the renames durable; folders cannot be opened for syncing everywhere (Windows). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const dir = await open(folder, 'r')
    await dir.sync().finally(() => dir.close())
  } catch {
    // Best effort: the data itself was synced before the rename.
  }
}

/** Removes temporary files of earlier writes to `path` whose process is gone. */
export async function removeStaleTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`
  let names: string[]
  try {
    names = await readdir(dirname(path))
  } catch {
    return
  }
  for (const name of names) {
    const pid = Number(/^\.(?:.*)\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name)?.[1] ?? NaN)
    if (name.startsWith(prefix) && !Number.isNaN(pid) && !alive(pid)) {
      await rm(join(dirname(path), name), { force: true })
    }
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // Node's errors carry a code; EPERM means the process exists but is not ours.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
