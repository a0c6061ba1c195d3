// Writing a file so that a crash, a kill or a full disk part-way leaves the old file or the new
// one, never a broken one: write a temporary file beside the target, fsync it, keep the previous
// version as <name>.bak, rename the temporary file over the target, fsync the folder. A failure
// removes the temporary files and says what went wrong with the user's file, not the temporary
// one. The CLI, the desktop app and the browser-mode server all write through here.
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

/** A write that failed; the message names the user's file and what is wrong, in one line. */
export class FileWriteError extends Error {
  constructor(
    readonly path: string,
    message: string,
    /** Node's error code (ENOENT, EISDIR…) when the system refused. */
    readonly code?: string,
  ) {
    super(message)
  }
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
    if (options.backup && (await isFile(path))) await keepBackup(path)
    await rename(temp, path)
  } catch (err) {
    await rm(temp, { force: true })
    throw writeError(path, err)
  }
  await syncFolder(dirname(path))
}

/**
 * Files that belong together (a module and its weights): every one reaches the disk under its
 * temporary name before any replaces its target, so a failure while writing (a full disk, a
 * size limit, a missing folder) leaves all the old files, never a new one beside an old one.
 */
export async function writeFilesAtomic(
  files: readonly { readonly path: string; readonly data: Uint8Array }[],
): Promise<void> {
  for (const { path } of files) await removeStaleTemps(path)
  const temps = files.map(({ path }) => tempName(path))
  const removeTemps = () => Promise.all(temps.map((t) => rm(t, { force: true })))
  for (const [i, { path, data }] of files.entries()) {
    try {
      // Each temporary name is new: a file of this write's is never overwritten.
      await writeAndSync(temps[i] ?? '', data)
    } catch (err) {
      await removeTemps()
      throw writeError(path, err)
    }
  }
  for (const [i, { path }] of files.entries()) {
    try {
      await rename(temps[i] ?? '', path)
    } catch (err) {
      await removeTemps()
      throw writeError(path, err)
    }
  }
  for (const folder of new Set(files.map(({ path }) => dirname(path)))) await syncFolder(folder)
}

/** Why the system refused a write, said of the target rather than of its temporary file. */
export function writeError(path: string, err: unknown): FileWriteError {
  if (err instanceof FileWriteError) return err
  return new FileWriteError(path, `cannot write ${path}: ${reasonOf(err)}`, codeOf(err))
}

function codeOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code
}

/** Why the system refused a write, in words ("permission denied", "the disk is full"). */
export function reasonOf(err: unknown): string {
  const code = codeOf(err)
  return (code && REASONS[code]) ?? (err instanceof Error ? err.message : String(err))
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its folder path is a file, not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is larger than this system allows',
  ENAMETOOLONG: 'the name is too long',
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
  const refuse = (what: string, code?: string) =>
    new FileWriteError(
      path,
      `cannot save ${path}: its previous version is kept as ${backup}, ${what}; ` +
        `${path} is unchanged`,
      code,
    )
  if (await isFolder(backup)) throw refuse('which is a folder (move or rename it)', 'EISDIR')
  const temp = tempName(backup)
  try {
    try {
      await link(path, temp)
    } catch {
      await copyFile(path, temp)
      const copy = await open(temp, 'r+')
      await copy.sync().finally(() => copy.close())
    }
    await rename(temp, backup)
  } catch (err) {
    await rm(temp, { force: true })
    throw refuse(`which cannot be written (${reasonOf(err)})`, codeOf(err))
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
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
