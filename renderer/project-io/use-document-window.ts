// The open document as the window shows it: the title ("spiral.dendrite • — Dendrite") in both
// hosts, and the unsaved mark and file for the desktop shell (its close prompt, macOS's edited
// dot) or the browser's leave-page prompt.
import { watch } from 'vue'
import type { Bridge } from '../../electron/bridge'
import { windowTitle } from './document'
import { useProjectFiles } from './files-store'

export function useDocumentWindow(bridge: Bridge): void {
  const files = useProjectFiles()
  watch(
    () => [files.displayName, files.dirty, files.path] as const,
    ([name, dirty, path]) => {
      document.title = windowTitle(name, dirty)
      bridge.setDocumentState({ name, path, dirty }).catch((err: unknown) => {
        console.error('could not tell the shell about the document:', err)
      })
    },
    { immediate: true },
  )
}
