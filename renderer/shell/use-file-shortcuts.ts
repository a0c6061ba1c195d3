// The File menu's keys, window-wide and in both hosts: Ctrl/Cmd+N new, +O open, +S save,
// +Shift+S save as. They work inside text fields too (saving while typing a value is normal).
// On the desktop the native menu shows the same keys; on macOS it takes them first.
import { onBeforeUnmount, onMounted } from 'vue'

export type FileKey = 'new' | 'open' | 'save' | 'save-as'

type Chord = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>

export function fileKey(event: Chord, mac: boolean): FileKey | null {
  const primary = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey
  if (!primary || event.altKey) return null
  const key = event.key.toLowerCase()
  if (key === 's') return event.shiftKey ? 'save-as' : 'save'
  if (event.shiftKey) return null
  if (key === 'o') return 'open'
  if (key === 'n') return 'new'
  return null
}

export const isMac = (): boolean => /Mac|iPhone|iPad/.test(navigator.platform)

/** "Ctrl+Shift+S" or "⇧⌘S", for menus. */
export function shortcutLabel(key: FileKey, mac = isMac()): string {
  const letter = { new: 'N', open: 'O', save: 'S', 'save-as': 'S' }[key]
  const shift = key === 'save-as'
  if (mac) return `${shift ? '⇧' : ''}⌘${letter}`
  return `Ctrl+${shift ? 'Shift+' : ''}${letter}`
}

/** The same keys as aria-keyshortcuts writes them: "Control+Shift+S", "Meta+S". */
export function ariaShortcut(key: FileKey, mac = isMac()): string {
  const letter = key === 'new' ? 'N' : key === 'open' ? 'O' : 'S'
  return `${mac ? 'Meta' : 'Control'}+${key === 'save-as' ? 'Shift+' : ''}${letter}`
}

export function useFileShortcuts(run: (key: FileKey) => void): void {
  const mac = isMac()
  function onKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.repeat) return
    const key = fileKey(event, mac)
    if (key === null) return
    event.preventDefault()
    run(key)
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
