// Project files on disk for both hosts (desktop main and the browser-mode server): save writes
// a .dendrite file atomically and keeps the previous version as <name>.dendrite.bak; open reads
// and validates one (or a JSON project), refusing a bad file with what is wrong and where.
import { readFile, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { OpenResult, ProjectFile } from '../../engine/io/project-file'
import { readCsvText } from '../../engine/io/load-data-node'
import { readProjectFile, writeProjectFile } from '../../engine/io/project-file'
import { writeFileAtomic } from './atomic-file'

export const PROJECT_EXTENSION = '.dendrite'
/** The largest project file opened (weights included). */
export const MAX_PROJECT_BYTES = 2 ** 31 - 1

export type OpenedProject =
  | {
      readonly ok: true
      readonly path: string
      readonly file: ProjectFile
      /** Set when the file was in an older format; saving writes the current one. */
      readonly migratedFrom?: number
    }
  | { readonly ok: false; readonly path: string; readonly errors: readonly string[] }

export async function saveProject(path: string, file: ProjectFile): Promise<void> {
  await writeFileAtomic(resolve(path), writeProjectFile(file), { backup: true })
}

/** Saves project bytes encoded elsewhere (the studio's engine), after checking them. */
export async function saveProjectBytes(path: string, bytes: Uint8Array): Promise<void> {
  const check = readProjectFile(bytes)
  if (!check.ok) throw new Error(`refusing to save an invalid project:\n${check.errors.join('\n')}`)
  await writeFileAtomic(resolve(path), bytes, { backup: true })
}

export async function openProject(path: string): Promise<OpenedProject> {
  const full = resolve(path)
  const refuse = (message: string): OpenedProject => ({ ok: false, path: full, errors: [message] })
  let bytes: Uint8Array
  try {
    const info = await stat(full)
    if (!info.isFile()) return refuse(`${full} is not a file`)
    if (info.size > MAX_PROJECT_BYTES) return refuse(`${full} is ${info.size} bytes; too large`)
    bytes = await readFile(full)
  } catch (err) {
    return refuse(`cannot read ${full}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const result: OpenResult = readProjectFile(bytes)
  if (!result.ok) return { ok: false, path: full, errors: result.errors }
  const file = await withCsvFromDisk(result.file, full)
  if ('error' in file) return refuse(file.error)
  return {
    ok: true,
    path: full,
    file,
    ...(result.migratedFrom === undefined ? {} : { migratedFrom: result.migratedFrom }),
  }
}

/** A JSON project names its CSV beside it; a .dendrite file carries the CSV itself. */
async function withCsvFromDisk(
  file: ProjectFile,
  projectPath: string,
): Promise<ProjectFile | { error: string }> {
  const data = file.project.data
  if (data.kind !== 'csv' || file.csv !== undefined) return file
  const read = await readCsvText(resolve(dirname(projectPath), data.name))
  return read.ok ? { ...file, csv: read.text } : { error: `data.name: ${read.error}` }
}
