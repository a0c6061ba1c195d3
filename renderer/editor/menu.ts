// The context menu's items: plain data, built by the canvas for what was right-clicked.
import type { Family, Layer } from '../../engine/graph/layer'
import { layers } from '../../engine/graph/registry'
import { FAMILIES, FAMILY_TITLES } from '../families'

export interface MenuItem {
  readonly key: string
  readonly label: string
  /** Right-aligned text: a shortcut, a formula. */
  readonly hint?: string
  /** A dot in the family's colour (layers). */
  readonly family?: Family
  readonly action?: () => void
  readonly items?: readonly MenuItem[]
  readonly disabled?: boolean
}

/** "Add layer ▸ family ▸ layer" for every layer in the registry (that `keep` keeps). */
export function addLayerItems(
  add: (type: string) => void,
  options: { key?: string; label?: string; keep?: (layer: Layer) => boolean } = {},
): MenuItem {
  const { key = 'add', label = 'Add layer', keep = () => true } = options
  const families = FAMILIES.map((family): MenuItem => ({
    key: family,
    label: FAMILY_TITLES[family],
    family,
    items: [...layers.values()]
      .filter((l) => l.family === family && keep(l))
      .map((l) => ({
        key: l.type,
        label: l.title,
        family,
        ...(l.formula === undefined ? {} : { hint: l.formula }),
        action: () => add(l.type),
      })),
  })).filter((f) => (f.items?.length ?? 0) > 0)
  return { key, label, items: families }
}

/** A connection a node's output can make now ("ReLU · x"), and making it. */
export interface ConnectChoice {
  readonly label: string
  readonly connect: () => void
}

/** The inputs a keyboard connection may end on, as menu items. */
export function connectItems(choices: readonly ConnectChoice[]): MenuItem[] {
  return choices.map((c, i) => ({ key: `connect-${i}`, label: c.label, action: c.connect }))
}

/** What was right-clicked. */
export type MenuTarget =
  | { kind: 'canvas' }
  | { kind: 'node'; ids: readonly string[] }
  | { kind: 'link'; id: string }
  | { kind: 'frame'; id: string; nodes: readonly string[] }

export interface MenuActions {
  add(type: string): void
  paste(): void
  selectAll(): void
  arrange(): void
  fit(): void
  duplicate(): void
  copy(): void
  group(): void
  remove(): void
  selectNodes(ids: readonly string[]): void
  removeFrame(id: string): void
  /** Where the one node's output can be connected now; empty when nowhere. */
  connectChoices(): readonly ConnectChoice[]
  /** Says why there is nowhere to connect the node's output. */
  cannotConnect(): void
  /** Adds a layer after the one node, wired to its output. */
  addAfter(type: string): void
  /** "Ctrl+D" or "⌘D" for a command's shortcut. */
  keys(
    command: 'paste' | 'selectAll' | 'fit' | 'duplicate' | 'copy' | 'group' | 'delete' | 'connect',
  ): string
}

export function menuItems(target: MenuTarget, a: MenuActions): MenuItem[] {
  const item = (key: string, label: string, action: () => void, hint?: string): MenuItem => ({
    key,
    label,
    action,
    ...(hint === undefined ? {} : { hint }),
  })
  switch (target.kind) {
    case 'canvas':
      return [
        addLayerItems(a.add),
        item('paste', 'Paste', a.paste, a.keys('paste')),
        item('select-all', 'Select all', a.selectAll, a.keys('selectAll')),
        item('arrange', 'Auto-arrange', a.arrange),
        item('fit', 'Zoom to fit', a.fit, a.keys('fit')),
      ]
    case 'node': {
      const many = target.ids.length > 1
      const wiring: MenuItem[] = []
      if (!many) {
        const choices = a.connectChoices()
        wiring.push(
          choices.length > 0
            ? {
                key: 'connect',
                label: 'Connect output to',
                hint: a.keys('connect'),
                items: connectItems(choices),
              }
            : item('connect', 'Connect output to…', a.cannotConnect, a.keys('connect')),
          addLayerItems(a.addAfter, {
            key: 'add-after',
            label: 'Add layer after',
            keep: (l) => l.inputs.length > 0,
          }),
        )
      }
      return [
        ...wiring,
        item(
          'duplicate',
          many ? 'Duplicate layers' : 'Duplicate',
          a.duplicate,
          a.keys('duplicate'),
        ),
        item('copy', 'Copy', a.copy, a.keys('copy')),
        item('group', 'Group into frame', a.group, a.keys('group')),
        item('delete', many ? 'Delete layers' : 'Delete', a.remove, a.keys('delete')),
      ]
    }
    case 'link':
      return [item('delete', 'Delete connection', a.remove, a.keys('delete'))]
    case 'frame':
      return [
        item('select', 'Select its layers', () => a.selectNodes(target.nodes)),
        item('remove-frame', 'Remove frame', () => a.removeFrame(target.id)),
      ]
  }
}
