// The canvas's keyboard wiring: C (or "Connect output to" in a node's menu) opens a menu of the
// inputs the node's output can go to; on a focused connection Delete removes it and ← → go to
// the layers at its ends. The canvas component hands in its commands, menu and editor.
import { nextTick } from 'vue'
import type { Ref, ShallowRef } from 'vue'
import { useProjectStore } from '../stores/project'
import { useSelectionStore } from '../stores/selection'
import type { CanvasCommands } from './canvas-commands'
import type { StudioEditor } from './create-editor'
import { connectOptions, displayNames } from './keyboard-wiring'
import { commandFor } from './keymap'
import type { ConnectChoice, MenuItem } from './menu'
import { connectItems } from './menu'

export interface WiringDeps {
  /** The canvas's commands (made after this, since they open the connect menu). */
  readonly commands: () => CanvasCommands
  readonly editor: ShallowRef<StudioEditor | null>
  readonly container: Ref<HTMLElement | null>
  readonly shell: Ref<HTMLElement | null>
  readonly notify: (message: string) => void
  readonly openMenu: (items: MenuItem[], clientX: number, clientY: number, label?: string) => void
}

export function useKeyboardWiring(deps: WiringDeps) {
  const project = useProjectStore()
  const selection = useSelectionStore()

  /** The inputs `id`'s output may be connected to now, each making the connection. */
  function connectChoices(id: string): ConnectChoice[] {
    return connectOptions(project.graph, id).map((o) => ({
      label: o.label,
      connect: () => void deps.commands().connect(o.source, o.target),
    }))
  }

  function cannotConnect(id: string): void {
    const name = displayNames(project.graph).get(id) ?? id
    deps.notify(
      project.graph.nodes.length < 2
        ? `Add another layer first: there is nothing to connect ${name} to.`
        : `Nothing can take ${name}'s output now: every other input is taken, ` +
            'would close a loop, or wants another shape.',
    )
  }

  /** The C key: a menu, at the node, of the inputs its output can be connected to. */
  function openConnectMenu(id: string): void {
    const choices = connectChoices(id)
    if (choices.length === 0) {
      cannotConnect(id)
      return
    }
    const el = deps.container.value?.querySelector(`[data-node-id="${CSS.escape(id)}"]`)
    const box = (el ?? deps.shell.value)?.getBoundingClientRect()
    if (!box) return
    const name = displayNames(project.graph).get(id) ?? id
    deps.openMenu(
      connectItems(choices),
      el ? box.right + 6 : box.left,
      box.top,
      `Connect ${name} to`,
    )
  }

  /** The connection a key was pressed on, when focus is on one. */
  function linkAt(
    target: EventTarget | null,
  ): { id: string; source: string; target: string } | null {
    const id = target instanceof Element ? target.getAttribute('data-link-id') : null
    const edge = id === null ? undefined : project.graph.edges.find((e) => e.id === id)
    return edge ? { id: edge.id, source: edge.source.node, target: edge.target.node } : null
  }

  /** On a focused connection: ← goes to the layer it comes from, → to the one it goes to. */
  function onLinkKey(event: KeyboardEvent): boolean {
    const link = linkAt(event.target)
    if (!link || event.ctrlKey || event.metaKey || event.altKey) return false
    const ends: Record<string, string> = { ArrowLeft: link.source, ArrowRight: link.target }
    const to = ends[event.key]
    if (to !== undefined) {
      event.preventDefault()
      void deps.editor.value?.focusNode(to)
      return true
    }
    if (commandFor(event) === 'delete') {
      // This connection goes, whatever else is selected; its source layer then takes the focus.
      event.preventDefault()
      selection.selectLink(link.id)
      deps.commands().deleteSelection()
      void nextTick().then(() => deps.editor.value?.focusNode(link.source))
      return true
    }
    return false
  }

  return { connectChoices, cannotConnect, openConnectMenu, onLinkKey }
}
