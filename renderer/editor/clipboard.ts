// The canvas's clipboard: fragments travel as JSON text on the system clipboard, so they paste
// into another window too. Where the page may not use the clipboard (permission denied, no
// focus, an insecure origin), the last copy is kept in the page and paste falls back to it.
import type { Fragment } from '../project/graph-edits'
import { parseFragment } from '../project/graph-edits'

function pageClipboard(): Clipboard | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.clipboard
}

export type PasteResult =
  { kind: 'fragment'; fragment: Fragment } | { kind: 'foreign' } | { kind: 'empty' }

export interface CanvasClipboard {
  write(fragment: Fragment): Promise<void>
  read(): Promise<PasteResult>
}

/** `system` is the page's clipboard; tests pass a fake one. */
export function createClipboard(
  system: Pick<Clipboard, 'readText' | 'writeText'> | undefined = pageClipboard(),
) {
  let kept: string | null = null

  async function readSystem(): Promise<string | null> {
    try {
      return system ? await system.readText() : null
    } catch {
      return null
    }
  }

  const clipboard: CanvasClipboard = {
    async write(fragment) {
      kept = JSON.stringify(fragment)
      try {
        await system?.writeText(kept)
      } catch {
        // Denied: the in-page copy above still pastes in this window.
      }
    },
    async read() {
      const text = (await readSystem()) || kept
      if (text === null || text.trim() === '') return { kind: 'empty' }
      const fragment = parseFragment(text)
      return fragment ? { kind: 'fragment', fragment } : { kind: 'foreign' }
    },
  }
  return clipboard
}
