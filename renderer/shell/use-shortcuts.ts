// The shell's window-wide keys: "/" jumps to the palette search, and undo and redo (Ctrl/Cmd+Z,
// Shift+Ctrl/Cmd+Z, Ctrl+Y) inside an inspector field that holds only committed values
// (data-pristine="true"). Elsewhere the canvas's keymap owns undo and redo and leaves text fields
// alone; a field with uncommitted typing keeps its own text undo.
import { onBeforeUnmount, onMounted } from 'vue'
import { useProjectStore } from '../stores/project'

export interface ShortcutActions {
  focusSearch(): void
}

function isEditable(target: EventTarget | null): target is HTMLElement {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement) return true
  if (!(target instanceof HTMLInputElement)) return false
  return !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(target.type)
}

/** A control marked data-pristine="true" holds only what the graph already holds. */
function isPristineField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.dataset.pristine === 'true'
}

type Chord = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>

export function historyKey(event: Chord): 'undo' | 'redo' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null
  const key = event.key.toLowerCase()
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo'
  if (key === 'y' && !event.shiftKey) return 'redo'
  return null
}

export function useShortcuts(actions: ShortcutActions): void {
  const project = useProjectStore()

  function onKey(event: KeyboardEvent): void {
    if (event.defaultPrevented) return
    const history = historyKey(event)
    if (history !== null) {
      if (!isPristineField(event.target)) return
      event.preventDefault()
      if (history === 'undo') project.undo()
      else project.redo()
      return
    }
    if (event.key === '/' && !event.ctrlKey && !event.metaKey && !isEditable(event.target)) {
      event.preventDefault()
      actions.focusSearch()
    }
  }

  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
