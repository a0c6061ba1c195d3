// Reading a project from disk for the CLI: a .dendrite file (with its CSV and weights) or a JSON
// project document, whose CSV stays a file beside it.
import { readFile } from 'node:fs/promises'
import type { OpenResult } from './project-file'
import { readProjectFile } from './project-file'

export async function readProjectPath(path: string): Promise<OpenResult> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (err) {
    return {
      ok: false,
      errors: [`cannot read ${path}: ${err instanceof Error ? err.message : ''}`],
    }
  }
  return readProjectFile(bytes)
}
