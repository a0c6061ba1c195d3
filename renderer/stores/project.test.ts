// The project store's history: one edit is one undo step, a new edit clears redo, undo and redo
// swap whole graphs, and opening a document starts a fresh history.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { addLayer, moveNodes, setAttr } from '../project/graph-edits'
import { starterGraph } from '../project/starter-graph'
import { useProjectStore } from './project'
import { useSelectionStore } from './selection'

beforeEach(() => setActivePinia(createPinia()))

describe('project history', () => {
  it('records one edit as one undo step, with its label', () => {
    const project = useProjectStore()
    const start = project.graph
    expect(project.canUndo).toBe(false)
    project.edit('Add Dense', addLayer(project.graph, 'dense').graph)
    project.edit('Set units', setAttr(project.graph, 'dense-3', 'units', 4))
    expect(project.undoLabel).toBe('Set units')
    expect(project.dirty).toBe(true)
    project.undo()
    expect(project.graph.nodes.find((n) => n.id === 'dense-3')?.attrs.units).toBe(8)
    expect(project.undoLabel).toBe('Add Dense')
    expect(project.redoLabel).toBe('Set units')
    project.undo()
    expect(project.graph).toBe(start)
    expect(project.canUndo).toBe(false)
    project.redo()
    project.redo()
    expect(project.graph.nodes.find((n) => n.id === 'dense-3')?.attrs.units).toBe(4)
    expect(project.canRedo).toBe(false)
  })

  it('an edit that changes nothing records nothing', () => {
    const project = useProjectStore()
    project.edit('Nothing', starterGraph())
    expect(project.canUndo).toBe(false)
    expect(project.dirty).toBe(false)
  })

  it('a new edit clears what redo would have brought back', () => {
    const project = useProjectStore()
    project.edit('Add ReLU', addLayer(project.graph, 'relu').graph)
    project.undo()
    expect(project.canRedo).toBe(true)
    project.edit('Move Input', moveNodes(project.graph, new Map([['input-1', { x: 9, y: 9 }]])))
    expect(project.canRedo).toBe(false)
    expect(project.redoLabel).toBeNull()
    project.redo()
    expect(project.graph.nodes.some((n) => n.id === 'relu-1')).toBe(false)
  })

  it('open() starts a new document without history', () => {
    const project = useProjectStore()
    project.edit('Add ReLU', addLayer(project.graph, 'relu').graph)
    project.undo()
    const opened = project.opened
    const graph = addLayer(starterGraph(), 'sigmoid').graph
    project.open(graph, { name: 'Lesson', lesson: 'Read me' })
    expect(project.graph).toBe(graph)
    expect(project.name).toBe('Lesson')
    expect(project.lesson).toBe('Read me')
    expect(project.canUndo).toBe(false)
    expect(project.canRedo).toBe(false)
    expect(project.dirty).toBe(false)
    expect(project.opened).toBe(opened + 1)
    project.undo()
    expect(project.graph).toBe(graph)
  })
})

describe('selection', () => {
  it('selects one node, several (the last is primary), or one link', () => {
    const selection = useSelectionStore()
    selection.select('dense-1')
    expect(selection.nodeIds).toEqual(['dense-1'])
    expect(selection.nodeId).toBe('dense-1')
    selection.selectNodes(['a', 'b', 'a', 'c'])
    expect(selection.nodeIds).toEqual(['a', 'b', 'c'])
    expect(selection.nodeId).toBe('c')
    selection.selectLink('link-1')
    expect(selection.nodeIds).toEqual([])
    expect(selection.linkId).toBe('link-1')
    selection.select(null)
    expect(selection.nodeId).toBeNull()
    expect(selection.linkId).toBeNull()
  })

  it('keepOnly forgets what no longer exists', () => {
    const selection = useSelectionStore()
    selection.selectNodes(['a', 'b'])
    selection.keepOnly(new Set(['b']), new Set())
    expect(selection.nodeIds).toEqual(['b'])
    selection.selectLink('l')
    selection.keepOnly(new Set(), new Set())
    expect(selection.linkId).toBeNull()
  })
})
