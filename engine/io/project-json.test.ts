import { readFileSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectGraph } from '../graph/inspect'
import { parseProject, parseProjectText, serializeProject } from './project-json'

const examples = resolve(import.meta.dirname, '../../assets/examples')
const samples = readdirSync(examples).filter((f) => f.endsWith('.json'))

describe('sample projects', () => {
  it.each(samples)('%s opens and validates without errors', (file) => {
    const parsed = parseProjectText(readFileSync(resolve(examples, file), 'utf8'))
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
    const problems = inspectGraph(parsed.project.graph).problems
    expect(problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(parsed.project.lesson?.length).toBeGreaterThan(40)
  })

  it('the two-linear-layers lesson carries its hint', () => {
    const parsed = parseProjectText(
      readFileSync(resolve(examples, 'two-linear-layers.json'), 'utf8'),
    )
    const codes = parsed.ok ? inspectGraph(parsed.project.graph).problems.map((p) => p.code) : []
    expect(codes).toContain('linear-collapse')
  })
})

describe('project parsing', () => {
  it('round-trips', () => {
    const text = readFileSync(resolve(examples, 'xor.json'), 'utf8')
    const parsed = parseProjectText(text)
    expect(parsed.ok && serializeProject(parsed.project)).toBe(text)
  })

  it('names the line and column of a JSON syntax error', () => {
    const r = parseProjectText('{\n  "format": "dendrite.project",\n  "version": 1,,\n}')
    expect(r.ok ? '' : r.errors[0]).toMatch(/line 3, column 16/)
  })

  it('names the JSON path of every bad field', () => {
    const r = parseProject({
      format: 'dendrite.project',
      version: 1,
      graph: { format: 'dendrite.graph', version: 1, nodes: [{ id: 'a' }], edges: [], frames: [] },
      data: { kind: 'builtin', name: 'spiral', noise: 0, size: 500, trainRatio: 0.5, seed: 1 },
      training: { batchSize: 0 },
    })
    expect(r.ok ? [] : r.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^graph\.nodes\[0\]\.type: /),
        expect.stringMatching(/^graph\.nodes\[0\]\.attrs: /),
        expect.stringMatching(/^training\.batchSize: /),
      ]),
    )
    const badData = parseProject({
      format: 'dendrite.project',
      version: 1,
      graph: { format: 'dendrite.graph', version: 1, nodes: [], edges: [], frames: [] },
      data: { kind: 'builtin', name: 'moons' },
      training: {},
    })
    expect(badData.ok ? [] : badData.errors[0]).toMatch(/^data\.name: /)
  })

  it('reads a version 1 project, which has no view, and keeps a view of version 2', () => {
    const xor = JSON.parse(readFileSync(resolve(examples, 'xor.json'), 'utf8')) as Record<
      string,
      unknown
    >
    const old = parseProject({ ...xor, version: 1 })
    expect(old.ok && old.project.view).toBeUndefined()
    const view = { x: -120.5, y: 40, zoom: 0.75 }
    const withView = parseProject({ ...xor, view })
    expect(withView.ok && withView.project.view).toEqual(view)
    expect(withView.ok && parseProjectText(serializeProject(withView.project))).toMatchObject({
      ok: true,
      project: { view },
    })
    const far = parseProject({ ...xor, view: { ...view, zoom: 0 } })
    expect(far.ok ? [] : far.errors[0]).toMatch(/^view\.zoom: /)
  })

  it('refuses another format, and says a newer Dendrite wrote a newer version', () => {
    expect(parseProject({ format: 'other' }).ok).toBe(false)
    const newer = parseProject({ format: 'dendrite.project', version: 3 })
    expect(newer.ok ? [] : newer.errors).toEqual([
      'version: the project was saved by a newer Dendrite (file format 3; this one reads 1 to 2). Update Dendrite to open it.',
    ])
  })

  it('says what a version or an attribute must be, not only that it is invalid', () => {
    const project = (version: number, units: number) => ({
      format: 'dendrite.project',
      version,
      graph: {
        format: 'dendrite.graph',
        version: 1,
        nodes: [{ id: 'd', type: 'dense', attrs: { units }, position: { x: 0, y: 0 } }],
        edges: [],
        frames: [],
      },
      data: { kind: 'builtin', name: 'spiral', noise: 0, size: 500, trainRatio: 0.5, seed: 1 },
      training: {},
    })
    const r = parseProject(project(0, Infinity))
    expect(r.ok ? [] : r.errors).toEqual([
      'version: must be 1 or 2, the versions this Dendrite reads',
      'graph.nodes[0].attrs.units: must be a finite number, a string, true or false',
    ])
  })

  it('names each field it does not know instead of dropping it', () => {
    const xor = JSON.parse(readFileSync(resolve(examples, 'xor.json'), 'utf8')) as {
      training: Record<string, unknown>
      graph: { nodes: Record<string, unknown>[] }
    } & Record<string, unknown>
    xor.author = 'me'
    xor.training.learning_rate = 0.5
    const node = xor.graph.nodes[1]
    if (node) node.comment = 'the hidden layer'
    const r = parseProject(xor)
    expect(r.ok ? [] : r.errors.sort()).toEqual([
      'author: unknown field',
      'graph.nodes[1].comment: unknown field',
      'training.learning_rate: unknown field',
    ])
  })

  it('names the line and column of every kind of JSON syntax error', () => {
    const errorOf = (text: string) => {
      const r = parseProjectText(text)
      return r.ok ? '' : (r.errors[0] ?? '')
    }
    // V8 names no position for these two; the place is found all the same.
    expect(errorOf('{\n  "name": x\n}')).toBe(
      "not valid JSON at line 2, column 11 (byte 12): Unexpected token 'x'",
    )
    // The incomplete literal's start; the byte count takes ß as the two bytes it is.
    expect(errorOf('{\n  "ß": tr')).toBe(
      'not valid JSON at line 2, column 8 (byte 10): Unexpected end of JSON input',
    )
    expect(errorOf('{"a": 1}}')).toBe(
      'not valid JSON at line 1, column 9 (byte 8): Unexpected non-whitespace character after JSON',
    )
  })

  it('keeps an error in a long text to one line, without the text V8 quotes', () => {
    const text = readFileSync(resolve(examples, 'xor.json'), 'utf8').replace('"x": 0', '"x": NaN')
    const r = parseProjectText(text)
    expect(r.ok ? [] : r.errors).toEqual([
      expect.stringMatching(
        /^not valid JSON at line \d+, column \d+ \(byte \d+\): Unexpected token 'N'$/,
      ),
    ])
  })

  it('refuses a key given twice instead of keeping the last, naming each', () => {
    const text = readFileSync(resolve(examples, 'xor.json'), 'utf8')
      .replace('"units": 4', '"units": 4,\n "units": 64')
      .replace('"epochs": ', '"epochs": 1, "epochs": ')
    const r = parseProjectText(text)
    expect(r.ok ? [] : r.errors).toEqual([
      expect.stringMatching(
        /^graph\.nodes\[1\]\.attrs\.units: the key is there twice; the second is at line \d+, column 2 \(byte \d+\)$/,
      ),
      expect.stringMatching(/^training\.epochs: the key is there twice; /),
    ])
  })

  it('refuses text past 64 MiB before parsing it', () => {
    const r = parseProjectText(`{${' '.repeat(64 * 2 ** 20)}}`)
    expect(r.ok ? [] : r.errors).toEqual([
      "the document has 67108866 characters; a project's JSON may hold at most 67108864 bytes " +
        '(64 MiB)',
    ])
  })
})
