// Browser mode's Bridge routes over real HTTP: open takes a file's bytes, save a document and
// gives the .dendrite bytes back, export gives the files; each checks its method, content type,
// size and arguments, and none answers without the token from our own origin.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OpenOutcome, StudioDocument } from '../bridge'
import { BRIDGE_ROUTES, MAX_PROJECT_BYTES, TOKEN_HEADER } from '../bridge'
import { readProjectFile, writeProjectFile } from '../../engine/io/project-file'
import { readSafetensors, writeSafetensors } from '../../engine/io/safetensors'
import { csvProject } from '../services/test/fixtures'
import { startServer } from './server'
import type { RunningServer } from './server'
import { base64ToFloats, encodeWeights } from './wire'

let server: RunningServer

beforeAll(async () => {
  server = await startServer({
    root: mkdtempSync(join(tmpdir(), 'dendrite-routes-')),
    token: 'tok',
    appInfo: { name: 'Dendrite', version: '0.1.0', platform: 'browser', os: 'linux' },
  })
})
afterAll(() => server.close())

const post = (
  route: string,
  body: string | Uint8Array,
  type: string,
  headers: Record<string, string> = {},
) =>
  fetch(`${server.origin}${route}`, {
    method: 'POST',
    body,
    headers: { [TOKEN_HEADER]: 'tok', 'content-type': type, ...headers },
  })

/** The fixture project as the page sends it: JSON, tensors' floats as base64. */
function wireDocument(): { document: StudioDocument; json: string } {
  const file = csvProject()
  const w = file.weights
  const document: StudioDocument = {
    project: file.project,
    csv: file.csv ?? '',
    ...(w ? { weights: { kind: 'kept', tensors: w.tensors, metadata: w.metadata } } : {}),
  }
  const weights = document.weights ? { weights: encodeWeights(document.weights) } : {}
  return { document, json: JSON.stringify({ ...document, ...weights }) }
}

describe('browser-mode routes: open', () => {
  it('parses a project file and returns the document with its weights', async () => {
    const bytes = writeProjectFile(csvProject())
    const r = await post(
      `${BRIDGE_ROUTES.openProject}?name=p.dendrite`,
      bytes,
      'application/octet-stream',
    )
    expect(r.status).toBe(200)
    const outcome = (await r.json()) as OpenOutcome & {
      document: { weights: { tensors: Record<string, { data: string }> } }
    }
    expect(outcome).toMatchObject({ status: 'opened', name: 'p.dendrite', path: null })
    const sent = csvProject().weights?.tensors['dense1.weight']?.data
    const back = base64ToFloats(outcome.document.weights.tensors['dense1.weight']?.data ?? '')
    expect(back).toEqual(sent)
  })

  it('refuses a corrupt file with where it is wrong', async () => {
    const bytes = writeProjectFile(csvProject()).slice(0, 100)
    const r = await post(
      `${BRIDGE_ROUTES.openProject}?name=bad.dendrite`,
      bytes,
      'application/octet-stream',
    )
    const outcome = (await r.json()) as OpenOutcome
    expect(outcome).toMatchObject({ status: 'refused', name: 'bad.dendrite' })
    expect(outcome.status === 'refused' && outcome.errors[0]).toMatch(/^zip: byte \d+/)
  })

  it('checks the method, content type, name and size', async () => {
    const route = `${server.origin}${BRIDGE_ROUTES.openProject}?name=x`
    expect((await fetch(route, { headers: { [TOKEN_HEADER]: 'tok' } })).status).toBe(405)
    expect((await post(`${BRIDGE_ROUTES.openProject}?name=x`, 'x', 'text/plain')).status).toBe(415)
    expect((await post(BRIDGE_ROUTES.openProject, 'x', 'application/octet-stream')).status).toBe(
      400,
    )
    const huge = await post(
      `${BRIDGE_ROUTES.openProject}?name=x`,
      'x',
      'application/octet-stream',
      {
        'content-length': String(MAX_PROJECT_BYTES + 1),
      },
    ).catch(() => null)
    // fetch may refuse a lying content-length itself; when it sends, the server says 413.
    if (huge) expect(huge.status).toBe(413)
  })

  it('answers no one without the token or from another origin', async () => {
    const bytes = writeProjectFile(csvProject())
    const route = `${BRIDGE_ROUTES.openProject}?name=p.dendrite`
    const noToken = await fetch(`${server.origin}${route}`, { method: 'POST', body: bytes })
    expect(noToken.status).toBe(403)
    const foreign = await post(route, bytes, 'application/octet-stream', {
      origin: 'http://evil.example',
    })
    expect(foreign.status).toBe(403)
  })
})

describe('browser-mode routes: save and export', () => {
  it('builds the .dendrite file the page downloads', async () => {
    const { json } = wireDocument()
    const r = await post(BRIDGE_ROUTES.saveProject, json, 'application/json')
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/octet-stream')
    const read = readProjectFile(new Uint8Array(await r.arrayBuffer()))
    if (!read.ok) throw new Error(read.errors.join('\n'))
    const before = csvProject()
    expect(read.file.project).toEqual(before.project)
    const w = read.file.weights
    expect(w && writeSafetensors(w.tensors, w.metadata)).toEqual(
      before.weights && writeSafetensors(before.weights.tensors, before.weights.metadata),
    )
  })

  it('refuses a bad document, naming the JSON path', async () => {
    const { document } = wireDocument()
    const bad = {
      ...document,
      weights: undefined,
      project: { ...document.project, training: { epochs: -1 } },
    }
    const r = await post(BRIDGE_ROUTES.saveProject, JSON.stringify(bad), 'application/json')
    expect(r.status).toBe(400)
    const body = (await r.json()) as { errors: string[] }
    expect(body.errors.join('\n')).toMatch(/document\.project\.training\.epochs/)
    const notJson = await post(BRIDGE_ROUTES.saveProject, '{"project":', 'application/json')
    expect(notJson.status).toBe(400)
    for (const [data, why] of [
      ['AAAAAAAAAAA=', /\.data: shape \[[\d, ]+\] takes \d+ values, got 2/],
      ['AAAA', /\.data: not base64 of float32 values/],
    ] as const) {
      const doc = JSON.parse(wireDocument().json) as {
        weights: { tensors: Record<string, { data: string }> }
      }
      const first = doc.weights.tensors['dense1.weight']
      if (first) first.data = data
      const r2 = await post(BRIDGE_ROUTES.saveProject, JSON.stringify(doc), 'application/json')
      expect(r2.status).toBe(400)
      const errors = ((await r2.json()) as { errors: string[] }).errors.join('\n')
      expect(errors).toMatch(/^document\.weights\.tensors\.dense1\.weight\.data: /)
      expect(errors).toMatch(why)
    }
  })

  it('exports safetensors, ONNX and PyTorch as named files', async () => {
    const { document } = wireDocument()
    if (!document.weights) throw new Error('the fixture has weights')
    const weights = encodeWeights(document.weights)
    const names: string[][] = []
    for (const format of ['safetensors', 'onnx', 'pytorch']) {
      const body = JSON.stringify({ format, name: 'CSV sample', weights })
      const r = await post(BRIDGE_ROUTES.exportModel, body, 'application/json')
      expect(r.status).toBe(200)
      const reply = (await r.json()) as { files: { name: string; data: string }[] }
      names.push(reply.files.map((f) => f.name))
      if (format === 'safetensors') {
        const file = readSafetensors(Buffer.from(reply.files[0]?.data ?? '', 'base64'))
        expect(file.ok && Object.keys(file.file.tensors).length).toBe(4)
      }
    }
    expect(names).toEqual([
      ['CSV_sample.safetensors'],
      ['CSV_sample.onnx'],
      ['CSV_sample.py', 'CSV_sample.safetensors'],
    ])
    const wrong = JSON.stringify({ format: 'exe', name: 'x', weights })
    expect((await post(BRIDGE_ROUTES.exportModel, wrong, 'application/json')).status).toBe(400)
  })
})
