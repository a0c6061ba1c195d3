// The bottom dock's state: which panel tab shows, whether the dock is open, and its height.
// Anything may ask for a panel (the status bar opens Problems; a run may open its curves).
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'

export const DOCK_MIN = 120
export const DOCK_COLLAPSED = 34
const DOCK_FIRST_MIN = 320
const STORAGE_KEY = 'dendrite.dock'

interface Saved {
  open: boolean
  height: number
}

/**
 * A first-run dock: tall enough for the curves and heatmaps (320 px at least, which a laptop's
 * 720 px window needs for them), leaving the canvas the larger part of a larger window.
 */
const defaultHeight = (): number =>
  Math.min(dockMax(), Math.max(DOCK_FIRST_MIN, Math.round(window.innerHeight * 0.4)))

function load(): Saved {
  const fallback = { open: true, height: defaultHeight() }
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null')
    if (typeof raw !== 'object' || raw === null) return fallback
    const saved = raw as Partial<Record<keyof Saved, unknown>> // checked field by field below
    return {
      open: typeof saved.open === 'boolean' ? saved.open : fallback.open,
      height: typeof saved.height === 'number' ? saved.height : fallback.height,
    }
  } catch {
    return fallback
  }
}

/** The tallest the dock may be: most of the window, leaving the canvas some room. */
export function dockMax(): number {
  return Math.max(DOCK_MIN, Math.round(window.innerHeight * 0.7))
}

export const useDockStore = defineStore('dock', () => {
  const saved = load()
  const open = ref(saved.open)
  const height = ref(saved.height)
  const tab = ref('problems')

  /** Shows a panel's tab, opening the dock if it was collapsed. */
  function show(id: string): void {
    tab.value = id
    open.value = true
  }

  function toggle(): void {
    open.value = !open.value
  }

  function resize(px: number): void {
    height.value = Math.round(Math.min(dockMax(), Math.max(DOCK_MIN, px)))
  }

  watch([open, height], () => {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ open: open.value, height: height.value }))
    } catch {
      // Storage may be off (private windows); the dock still works for this session.
    }
  })

  return { open, height, tab, show, toggle, resize }
})
