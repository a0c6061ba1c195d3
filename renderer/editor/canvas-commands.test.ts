// The canvas's commands on a stand-in for the project store: each makes at most one edit and
// selects what it made; the clipboard falls back to an in-page copy and refuses foreign text.
import { describe, expect, it } from 'vitest'
import type { ModelGraph } from '../../engine/graph/model-graph'
import { removeEdges } from '../project/graph-edits'
import { starterGraph } from '../project/starter-graph'
import { overlaps, rectBetween } from './box-select'
import { canvasCommands } from './canvas-commands'
import type { CommandContext } from './canvas-commands'
import { createClipboard } from './clipboard'
import { frameRect, FRAME_HEADER, FRAME_PADDING } from './frames'

/** A system clipboard that works, or one that refuses like a page without permission. */
function systemClipboard(allowed: boolean) {
  let text = ''
  return {
    readText: () => (allowed ? Promise.resolve(text) : Promise.reject(new Error('denied'))),
    writeText: (t: string) => {
      if (!allowed) return Promise.reject(new Error('denied'))
      text = t
      return Promise.resolve()
    },
  }
}

function harness(allowed = true, selected: string[] = []) {
  const system = systemClipboard(allowed)
  const state = {
    graph: starterGraph(),
    edits: [] as string[],
    selected,
    link: null as string | null,
    notes: [] as string[],
    framed: [] as string[],
    picking: [] as string[],
  }
  const ctx: CommandContext = {
    graph: () => state.graph,
    edit: (label: string, next: ModelGraph) => {
      state.edits.push(label)
      state.graph = next
    },
    undo: () => state.edits.push('undo'),
    redo: () => state.edits.push('redo'),
    selectedNodes: () => state.selected,
    selectedLink: () => state.link,
    selectNodes: (ids) => (state.selected = [...ids]),
    editor: () => null,
    clipboard: createClipboard(system),
    notify: (m) => state.notes.push(m),
    framed: (id) => state.framed.push(id),
    pickConnection: (id) => state.picking.push(id),
  }
  return { state, system, commands: canvasCommands(ctx) }
}

const ids = (g: ModelGraph): string[] => g.nodes.map((n) => n.id)
const settle = () => new Promise((r) => setTimeout(r, 0))

describe('canvas commands', () => {
  it('delete removes the selected nodes in one edit, or the selected link', () => {
    const { state, commands } = harness(true, ['dense-1', 'tanh-1'])
    commands.deleteSelection()
    expect(state.edits).toEqual(['Delete 2 layers'])
    expect(ids(state.graph)).toEqual(['input-1', 'dense-2', 'softmax-1'])
    expect(state.selected).toEqual([])
    state.link = 'dense-2->softmax-1'
    commands.deleteSelection()
    expect(state.edits).toEqual(['Delete 2 layers', 'Delete connection'])
    expect(state.graph.edges).toEqual([])
  })

  it('duplicate copies the selection and selects the copies', () => {
    const { state, commands } = harness(true, ['tanh-1'])
    commands.duplicate()
    expect(state.edits).toEqual(['Duplicate Tanh'])
    expect(state.selected).toEqual(['tanh-2'])
    expect(state.graph.nodes.find((n) => n.id === 'tanh-2')?.position).toEqual({ x: 464, y: 40 })
  })

  it('copy and paste go through the system clipboard', async () => {
    const { state, system, commands } = harness(true, ['dense-1'])
    await commands.copy()
    expect(await system.readText()).toContain('"dendrite.fragment"')
    await commands.paste({ x: 10, y: 20 })
    expect(state.edits).toEqual(['Paste Dense'])
    expect(state.selected).toEqual(['dense-3'])
    expect(state.graph.nodes.at(-1)?.position).toEqual({ x: 10, y: 20 })
  })

  it('with the clipboard denied, paste uses the copy kept in the page', async () => {
    const { state, commands } = harness(false, ['dense-1', 'tanh-1'])
    await commands.copy()
    await commands.paste({ x: 0, y: 0 })
    expect(state.edits).toEqual(['Paste 2 layers'])
    expect(state.graph.edges.at(-1)?.source.node).toBe('dense-3')
  })

  it('foreign text and an empty clipboard paste nothing and say so', async () => {
    const { state, system, commands } = harness(true)
    await commands.paste({ x: 0, y: 0 })
    await system.writeText('{"hello": "world"}')
    await commands.paste({ x: 0, y: 0 })
    expect(state.edits).toEqual([])
    expect(state.notes).toEqual([
      expect.stringContaining('Nothing to paste'),
      expect.stringContaining('no Dendrite layers'),
    ])
  })

  it('cut copies, then deletes as one edit', async () => {
    const { state, system, commands } = harness(true, ['softmax-1'])
    await commands.cut()
    expect(state.edits).toEqual(['Delete Softmax'])
    expect(await system.readText()).toContain('softmax-1')
  })

  it('group frames the selection and asks for its name', () => {
    const { state, commands } = harness(true, ['dense-1', 'tanh-1'])
    commands.group()
    expect(state.edits).toEqual(['Group 2 layers'])
    expect(state.graph.frames).toEqual([
      { id: 'frame-1', label: 'Group', nodes: ['dense-1', 'tanh-1'] },
    ])
    expect(state.framed).toEqual(['frame-1'])
    commands.ungroup('frame-1')
    expect(state.graph.frames).toEqual([])
  })

  it('connect checks the connection as a drop would and makes it as one edit', () => {
    const { state, commands } = harness()
    state.graph = removeEdges(state.graph, ['tanh-1->dense-2'])
    expect(commands.connect({ node: 'dense-2', port: 'y' }, { node: 'tanh-1', port: 'x' })).toBe(
      false,
    )
    expect(state.edits).toEqual([])
    expect(state.notes).toEqual([expect.stringContaining('already has a connection')])
    expect(commands.connect({ node: 'tanh-1', port: 'y' }, { node: 'dense-2', port: 'x' })).toBe(
      true,
    )
    expect(state.edits).toEqual(['Connect'])
    expect(state.notes.at(-1)).toBe('Connected Tanh → Dense 2.')
  })

  it('the Connect key offers the selected layer, or asks for one', async () => {
    const { state, commands } = harness(true, ['dense-1'])
    commands.run('connect')
    await settle()
    expect(state.picking).toEqual(['dense-1'])
    state.selected = []
    commands.run('connect')
    await settle()
    expect(state.notes).toEqual([expect.stringContaining('Select a layer first')])
  })

  it('add after places a layer right of the source, wired to it, as one edit', () => {
    const { state, commands } = harness()
    const id = commands.addAfter('relu', 'softmax-1')
    expect(id).toBe('relu-1')
    expect(state.edits).toEqual(['Add ReLU after Softmax'])
    expect(state.selected).toEqual(['relu-1'])
    expect(state.graph.edges.at(-1)).toMatchObject({
      source: { node: 'softmax-1', port: 'y' },
      target: { node: 'relu-1', port: 'x' },
    })
    // A layer whose input cannot take the output is added unwired, and the reason told.
    commands.addAfter('conv2d', 'dense-1')
    expect(state.edits.at(-1)).toBe('Add Conv2D after Dense 1')
    expect(state.graph.edges.some((e) => e.target.node === 'conv2d-1')).toBe(false)
    expect(state.notes).toEqual([expect.stringContaining('added but not connected')])
    // …at the place it was given for that case (the palette's), not next to the source.
    commands.addAfter('conv2d', 'dense-1', { x: -500, y: 900 })
    const loose = state.graph.nodes.find((n) => n.id === 'conv2d-2')
    expect(loose?.position).toEqual({ x: -500, y: 900 })
    expect(state.selected).toEqual(['conv2d-2'])
  })

  it('keys: select all, nudge, undo and redo', async () => {
    const { state, commands } = harness(true)
    commands.run('selectAll')
    await settle()
    expect(state.selected).toHaveLength(5)
    commands.run('nudgeRight', true)
    await settle()
    expect(state.graph.nodes[0]?.position).toEqual({ x: 40, y: 0 })
    expect(state.edits).toEqual(['Move 5 layers'])
    commands.run('undo')
    commands.run('redo')
    await settle()
    expect(state.edits.slice(1)).toEqual(['undo', 'redo'])
  })
})

describe('geometry', () => {
  it('frames surround their nodes with padding and a header', () => {
    const rect = frameRect([
      { x: 0, y: 0, width: 100, height: 50 },
      { x: 200, y: 30, width: 100, height: 50 },
    ])
    expect(rect).toEqual({
      x: -FRAME_PADDING,
      y: -FRAME_PADDING - FRAME_HEADER,
      width: 300 + 2 * FRAME_PADDING,
      height: 80 + 2 * FRAME_PADDING + FRAME_HEADER,
    })
    expect(frameRect([])).toBeNull()
  })

  it('box selection touches what overlaps', () => {
    const box = rectBetween({ x: 10, y: 10 }, { x: 0, y: 0 })
    expect(box).toEqual({ x: 0, y: 0, width: 10, height: 10 })
    expect(overlaps(box, { x: 5, y: 5, width: 100, height: 100 })).toBe(true)
    expect(overlaps(box, { x: 10, y: 0, width: 5, height: 5 })).toBe(false)
  })
})
