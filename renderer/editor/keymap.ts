// The canvas's keyboard map: which key does what. Kept as data so the toolbar's tooltips, the
// handler and the tests read one table. "Mod" is Ctrl, or Cmd on a Mac.

export type CanvasCommand =
  | 'delete'
  | 'duplicate'
  | 'copy'
  | 'cut'
  | 'paste'
  | 'selectAll'
  | 'undo'
  | 'redo'
  | 'fit'
  | 'group'
  | 'connect'
  | 'escape'
  | 'nudgeLeft'
  | 'nudgeRight'
  | 'nudgeUp'
  | 'nudgeDown'

export interface KeyLike {
  readonly key: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly shiftKey: boolean
  readonly altKey: boolean
}

/** Key chords by command, as people read them ("Mod+Z"); the first is the one shown. */
export const KEYMAP: Readonly<Record<CanvasCommand, readonly string[]>> = {
  delete: ['Delete', 'Backspace'],
  duplicate: ['Mod+D'],
  copy: ['Mod+C'],
  cut: ['Mod+X'],
  paste: ['Mod+V'],
  selectAll: ['Mod+A'],
  undo: ['Mod+Z'],
  redo: ['Shift+Mod+Z', 'Mod+Y'],
  fit: ['F'],
  group: ['Mod+G'],
  connect: ['C'],
  escape: ['Escape'],
  nudgeLeft: ['ArrowLeft', 'Shift+ArrowLeft'],
  nudgeRight: ['ArrowRight', 'Shift+ArrowRight'],
  nudgeUp: ['ArrowUp', 'Shift+ArrowUp'],
  nudgeDown: ['ArrowDown', 'Shift+ArrowDown'],
}

/** "Shift+Mod+Z" for a key event: modifiers in a fixed order, letters upper-case. */
export function chordOf(e: KeyLike): string {
  const key = e.key.length === 1 ? e.key.toUpperCase() : e.key
  const parts: string[] = []
  if (e.altKey) parts.push('Alt')
  if (e.shiftKey) parts.push('Shift')
  if (e.ctrlKey || e.metaKey) parts.push('Mod')
  parts.push(key)
  return parts.join('+')
}

// Object.entries forgets the key type; KEYMAP's keys are exactly the CanvasCommands.
const ENTRIES = Object.entries(KEYMAP) as [CanvasCommand, readonly string[]][]
const BY_CHORD = new Map<string, CanvasCommand>(
  ENTRIES.flatMap(([command, chords]) =>
    chords.map((chord): [string, CanvasCommand] => [chord, command]),
  ),
)

/** Commands that work wherever focus is (except in a text field); the rest need the canvas. */
export const GLOBAL_COMMANDS: ReadonlySet<CanvasCommand> = new Set(['undo', 'redo'])

export function commandFor(e: KeyLike): CanvasCommand | null {
  return BY_CHORD.get(chordOf(e)) ?? null
}

/** The chord as shown in a tooltip on this platform: "Ctrl+Z" or "⌘Z". */
export function shortcutText(command: CanvasCommand, mac: boolean): string {
  const chord = KEYMAP[command][0] ?? ''
  if (!mac) return chord.replace('Mod', 'Ctrl')
  return chord.replace('Shift+', '⇧').replace('Mod+', '⌘')
}

/** Keys typed into a text field belong to the field, not the canvas. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  )
}
