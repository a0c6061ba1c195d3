// Autosave: once the project has had unsaved changes for a minute, it goes to the recovery file
// (desktop: beside the settings; browser mode: localStorage), and again after each further
// minute with changes. Saving, opening or closing removes it (files-store.ts); a failed write
// removes the older copy too (it would pass for the latest after a crash), is said once, and is
// tried again at the next change.
import { onBeforeUnmount, watch } from 'vue'
import type { Bridge } from '../../electron/bridge'
import { useProjectFiles } from './files-store'

export const AUTOSAVE_MS = 60_000

/** `paused`: while true nothing is written (a crash's recovery file is still on offer). */
export function useAutosave(bridge: Bridge, paused: () => boolean, intervalMs = AUTOSAVE_MS): void {
  const files = useProjectFiles()
  let timer: ReturnType<typeof setTimeout> | null = null
  let failedOnce = false

  async function write(): Promise<void> {
    timer = null
    if (!files.dirty || files.busy !== null || paused()) return
    try {
      await bridge.writeRecovery(await files.snapshot())
      failedOnce = false
    } catch (err) {
      if (failedOnce) return
      failedOnce = true
      const why = err instanceof Error ? err.message : String(err)
      files.notify(
        'warning',
        `Autosave could not keep a recovery copy: ${why}\n` +
          'No recovery copy is kept until it can write one: save to keep this work.',
      )
    }
  }

  // Every change while dirty: the first one starts the minute; the write ends it.
  watch(
    () => [files.dirty, files.changes],
    () => {
      if (files.dirty) timer ??= setTimeout(() => void write(), intervalMs)
      else if (timer) {
        clearTimeout(timer)
        timer = null
      }
    },
  )
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer)
  })
}
