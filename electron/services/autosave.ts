// Autosave: after a minute of unsaved changes the open project is written to a recovery file
// (atomically, like a save); saving or closing removes it. After a crash the host finds the
// recovery file on start and offers to restore it.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { OpenedProject } from './projects'
import { openProject } from './projects'
import { writeFileAtomic } from './atomic-file'

export const RECOVERY_FILE = 'recovery.dendrite'
export const AUTOSAVE_MS = 60_000

export interface AutosaveOptions {
  /** The recovery file, e.g. recoveryPath(settingsDir). */
  readonly path: string
  /** The project as it is now, encoded (writeProjectFile); null when there is none. */
  readonly snapshot: () => Uint8Array | null | Promise<Uint8Array | null>
  readonly intervalMs?: number
  /** A failed autosave (full disk…): the older recovery file is removed, the failure reported,
   * and the write tried again at the next change. */
  readonly onError?: (err: unknown) => void
}

export interface Autosave {
  /** Something changed: a recovery write follows within intervalMs unless saved first. */
  markDirty(): void
  /** The project was saved or closed: no recovery needed. */
  markSaved(): Promise<void>
  /** Writes the recovery file now if there are unsaved changes. */
  flush(): Promise<void>
  stop(): void
}

export function recoveryPath(settingsDir: string): string {
  return join(settingsDir, RECOVERY_FILE)
}

export function createAutosave(options: AutosaveOptions): Autosave {
  const interval = options.intervalMs ?? AUTOSAVE_MS
  let dirty = false
  let timer: ReturnType<typeof setTimeout> | null = null
  let writing: Promise<void> = Promise.resolve()

  const flush = async (): Promise<void> => {
    if (timer) clearTimeout(timer)
    timer = null
    if (!dirty) return writing
    dirty = false
    writing = writing.then(async () => {
      const bytes = await options.snapshot()
      if (bytes) await writeFileAtomic(options.path, bytes)
    })
    try {
      await writing
    } catch (err) {
      dirty = true
      writing = Promise.resolve()
      // The older copy would pass for the latest after a crash: none is kept until a write works.
      await rm(options.path, { force: true }).catch(() => undefined)
      options.onError?.(err)
    }
  }

  return {
    markDirty() {
      dirty = true
      timer ??= setTimeout(() => void flush(), interval)
    },
    async markSaved() {
      dirty = false
      if (timer) clearTimeout(timer)
      timer = null
      await writing.catch(() => undefined)
      await rm(options.path, { force: true })
    },
    flush,
    stop() {
      if (timer) clearTimeout(timer)
      timer = null
    },
  }
}

/** The recovery file left by a crash, opened and checked; null when there is none. */
export async function findRecovery(path: string): Promise<OpenedProject | null> {
  const opened = await openProject(path)
  if (!opened.ok && opened.errors.some((e) => e.includes('ENOENT'))) return null
  return opened
}

export async function discardRecovery(path: string): Promise<void> {
  await rm(path, { force: true })
}
