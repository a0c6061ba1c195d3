// The engine host's training requests over a real MessageChannel, as the studio sends them.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { HostPort } from '../test/host-port'
import { openHostPort } from '../test/host-port'
import type { GpuDevice } from './training'
import { createTrainingHost } from './training'

const project = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../assets/examples/xor.json'), 'utf8'),
) as { graph: unknown; data: unknown; training: Record<string, unknown> }

const open: HostPort[] = []
afterEach(() => {
  for (const port of open.splice(0)) port.close()
})

function connect() {
  const port = openHostPort()
  open.push(port)
  let id = 0
  const send = (type: string, body: Record<string, unknown> = {}) => {
    const mine = ++id
    port.post({ v: 1, kind: 'request', id: mine, type, ...body })
    return mine
  }
  const reply = async (mine: number, events: unknown[] = []) => {
    for (;;) {
      const m = (await port.next()) as { kind: string; id?: number }
      if (m.kind === 'event') events.push(m)
      else if (m.id === mine) return m as { kind: string; result?: unknown; code?: string }
    }
  }
  const call = (type: string, body: Record<string, unknown> = {}, events: unknown[] = []) =>
    reply(send(type, body), events)
  return { call, send, reply }
}

const load = { graph: project.graph, data: project.data, settings: project.training }

describe('engine host: training', () => {
  it('loads, trains with progress events, steps, evaluates, probes and hands out weights', async () => {
    const host = connect()
    const loaded = await host.call('load', load)
    expect(loaded).toMatchObject({
      kind: 'response',
      result: { stepsPerEpoch: 25, totalSteps: 1250 },
    })
    const events: { type: string; test?: unknown }[] = []
    const trained = await host.call('train', {}, events)
    expect(trained).toMatchObject({ result: { reason: 'done', step: 1250 } })
    expect(events.some((e) => e.type === 'progress' && e.test)).toBe(true)
    expect(await host.call('evaluate', { split: 'test' })).toMatchObject({
      result: { accuracy: expect.any(Number) as number },
    })
    const plane = await host.call('probe', {
      probe: { kind: 'plane', resolution: 20, features: [0, 1] },
    })
    expect(plane).toMatchObject({ result: { kind: 'plane', resolution: 20 } })
    const r = plane.result as unknown as {
      nodes: Record<string, { shape: number[] }>
      prediction: { shape: number[] }
    }
    expect(r.nodes.act1?.shape).toEqual([400, 4])
    expect(r.prediction.shape).toEqual([400, 2])
    const acts = await host.call('probe', {
      probe: { kind: 'activations', node: 'act1', split: 'test', count: 16 },
    })
    expect(acts).toMatchObject({ result: { tensor: { shape: [16, 4] } } })
    const weights = await host.call('weights')
    expect(Object.keys(weights.result ?? {})).toEqual([
      'dense1.weight',
      'dense1.bias',
      'dense2.weight',
      'dense2.bias',
    ])
  })

  it('takes saved weights back, refusing ones that do not fit', async () => {
    const host = connect()
    await host.call('load', load)
    await host.call('step', { count: 5 })
    const saved = (await host.call('weights')).result as Record<string, { data: Float32Array }>
    await host.call('reset')
    const before = (await host.call('evaluate', { split: 'test' })).result
    expect(await host.call('set-weights', { tensors: saved })).toMatchObject({
      result: { step: 0 },
    })
    const back = (await host.call('weights')).result as Record<string, { data: Float32Array }>
    expect(Array.from(back['dense1.weight']?.data ?? [])).toEqual(
      Array.from(saved['dense1.weight']?.data ?? []),
    )
    expect((await host.call('evaluate', { split: 'test' })).result).not.toEqual(before)
    const wrong = { 'dense1.weight': { shape: [3], data: new Float32Array(3) } }
    const refused = await host.call('set-weights', { tensors: wrong })
    expect(refused).toMatchObject({ kind: 'error', code: 'invalid-project' })
    expect(JSON.stringify(refused)).toContain('missing tensor')
  })

  it('refuses set-weights with a tensor one value short and changes no weight', async () => {
    const host = connect()
    await host.call('load', load)
    const before = (await host.call('weights')).result as Record<
      string,
      { shape: number[]; data: Float32Array }
    >
    const names = Object.keys(before)
    const bad = Object.fromEntries(
      names.map((n, i) => {
        const t = before[n] ?? { shape: [], data: new Float32Array(1) }
        const last = i === names.length - 1
        return [
          n,
          { shape: t.shape, data: new Float32Array(t.data.length - (last ? 1 : 0)).fill(7) },
        ]
      }),
    )
    const refused = (await host.call('set-weights', { tensors: bad })) as { message?: string }
    expect(refused).toMatchObject({ kind: 'error', code: 'bad-message' })
    expect(refused.message).toContain('shape [2] takes 2 values, got 1')
    expect(refused.message).toContain('dense2.bias')
    expect((await host.call('weights')).result).toEqual(before)
  })

  it('refuses a plane probe over features the model does not have', async () => {
    const host = connect()
    await host.call('load', load)
    const probe = (features: number[]) =>
      host.call('probe', { probe: { kind: 'plane', resolution: 2, features } }) as Promise<{
        code?: string
        message?: string
      }>
    const both = await probe([5, 9])
    expect(both).toMatchObject({ kind: 'error', code: 'bad-message' })
    expect(both.message).toBe(
      "Plane features [5, 9]: 5 and 9 are not features of this model's input, which has 2 (0 to 1)",
    )
    expect((await probe([0, 2])).message).toContain(': 2 is not a feature')
    expect(await probe([1, 0])).toMatchObject({ kind: 'response', result: { kind: 'plane' } })
  })

  it('steps exactly, resets, changes the learning rate, and pauses a run', async () => {
    const host = connect()
    await host.call('load', { ...load, settings: { ...project.training, epochs: 100000 } })
    expect(await host.call('step', { count: 1 })).toMatchObject({ result: { step: 1 } })
    expect(await host.call('set-learning-rate', { learningRate: 0.5 })).toMatchObject({
      result: { learningRate: 0.5, fromStep: 1 },
    })
    const running = host.send('train')
    await new Promise((r) => setTimeout(r, 50))
    expect(await host.call('step', { count: 1 })).toMatchObject({ kind: 'error', code: 'busy' })
    // The pause is answered once the run has stopped, with the step it stopped at.
    const pausing = host.send('pause')
    const end = await host.reply(running)
    const paused = await host.reply(pausing)
    expect(end).toMatchObject({ result: { reason: 'stopped' } })
    const at = (paused.result as unknown as { step: number }).step
    expect(at).toBeGreaterThan(1)
    expect(end).toMatchObject({ result: { step: at } })
    expect(await host.call('reset')).toMatchObject({ result: { step: 0 } })
  })

  it('makes a run longer or shorter in place, from a pause, never shorter than it has gone', async () => {
    const host = connect()
    // xor: 25 steps an epoch.
    await host.call('load', { ...load, settings: { ...project.training, epochs: 2 } })
    expect(await host.call('train')).toMatchObject({ result: { reason: 'done', step: 50 } })
    // Longer: the finished run trains on from step 50 to the new end, with its weights.
    const before = (await host.call('weights')).result
    expect(await host.call('set-epochs', { epochs: 4 })).toMatchObject({
      result: { step: 50, totalSteps: 100 },
    })
    expect((await host.call('weights')).result).toEqual(before)
    expect(await host.call('train')).toMatchObject({ result: { reason: 'done', step: 100 } })
    // Shorter than it has gone: refused, saying where the run is; the length stays.
    expect(await host.call('set-epochs', { epochs: 3 })).toMatchObject({
      kind: 'error',
      code: 'bad-message',
      message: 'the run is at step 100, past 3 epochs of 25 steps',
    })
    expect(await host.call('step', { count: 1 })).toMatchObject({ result: { step: 100 } })
    // Refused while training: pause first.
    expect(await host.call('set-epochs', { epochs: 1000 })).toMatchObject({
      result: { totalSteps: 25000 },
    })
    const running = host.send('train')
    await new Promise((r) => setTimeout(r, 50))
    expect(await host.call('set-epochs', { epochs: 5 })).toMatchObject({
      kind: 'error',
      code: 'busy',
    })
    const pausing = host.send('pause')
    await host.reply(running)
    await host.reply(pausing)
    // Shorter, but not past where it is: the run ends there.
    const at = ((await host.call('step', { count: 1 })).result as { step: number }).step
    const epochs = Math.ceil(at / 25)
    expect(await host.call('set-epochs', { epochs })).toMatchObject({
      result: { step: at, totalSteps: epochs * 25 },
    })
    expect(await host.call('train')).toMatchObject({
      result: { reason: 'done', step: epochs * 25 },
    })
  })

  it('names the backend it trains on, and why not WebGPU where there is none', async () => {
    const host = connect()
    // Node has no navigator.gpu: auto and a forced webgpu fall back to the CPU, saying why.
    for (const backend of [undefined, 'auto', 'webgpu']) {
      const loaded = await host.call('load', backend === undefined ? load : { ...load, backend })
      expect(loaded).toMatchObject({
        result: { backend: { name: 'cpu', reason: expect.stringMatching(/WebGPU/) as string } },
      })
    }
    const forced = await host.call('load', { ...load, backend: 'cpu' })
    expect((forced.result as { backend: unknown }).backend).toEqual({ name: 'cpu' })
    const bad = await host.call('load', { ...load, backend: 'tpu' })
    expect(bad).toMatchObject({ kind: 'error', code: 'bad-message' })
  })

  it('passes over an emulated GPU for auto, and falls back when WebGPU cannot build', async () => {
    // A device that is no device: making the WebGPU executable fails, so the CPU takes over.
    const gpu = (emulated: boolean) => (): Promise<GpuDevice> =>
      Promise.resolve({
        ok: true,
        device: { lost: new Promise(() => {}) } as unknown as GPUDevice,
        adapter: 'google / swiftshader',
        emulated,
      })
    const host = (emulated: boolean) =>
      createTrainingHost({ sources: () => Promise.resolve({}), emit: () => {}, gpu: gpu(emulated) })
    const request = { v: 1, kind: 'request', id: 1, type: 'load', ...load } as Parameters<
      ReturnType<typeof createTrainingHost>['load']
    >[0]
    const auto = await host(true).load(request)
    expect(auto.backend).toEqual({
      name: 'cpu',
      reason: expect.stringContaining('(google / swiftshader) emulates a GPU') as string,
    })
    for (const backend of ['webgpu', 'auto'] as const) {
      const loaded = await host(backend === 'webgpu').load({ ...request, backend })
      expect(loaded.backend).toEqual({
        name: 'cpu',
        reason: expect.stringContaining('WebGPU could not build this model') as string,
      })
    }
  })

  it('refuses a bad project with problems naming nodes, and requests before load', async () => {
    const host = connect()
    expect(await host.call('evaluate', { split: 'test' })).toMatchObject({ code: 'no-session' })
    const graph = structuredClone(project.graph) as {
      nodes: { id: string; attrs: Record<string, unknown> }[]
    }
    const dense = graph.nodes.find((n) => n.id === 'dense2')
    if (dense) dense.attrs.units = 3
    const bad = await host.call('load', { ...load, graph })
    expect(bad).toMatchObject({ kind: 'error', code: 'invalid-project' })
    expect(JSON.stringify(bad)).toContain('has 2 classes')
    const badData = await host.call('load', { ...load, data: { kind: 'builtin', name: 'moons' } })
    expect(badData).toMatchObject({ kind: 'error', code: 'invalid-project' })
  })

  it('makes the initial weights without a session: as load draws them, with no loss too', async () => {
    const host = connect()
    const made = (await host.call('initial-weights', load)) as {
      result: { tensors: Record<string, { shape: number[]; data: Float32Array }> }
    }
    await host.call('load', load)
    const fresh = (await host.call('weights')).result
    expect(made.result.tensors).toEqual(fresh)

    // The graph without its loss (the studio's starter graph has none) still has its weights.
    const graph = structuredClone(project.graph) as { nodes: { id: string; type: string }[] }
    graph.nodes = graph.nodes.filter((n) => n.type !== 'softmax-cross-entropy')
    const edges = (project.graph as { edges: { target: { node: string } }[] }).edges
    const kept = new Set(graph.nodes.map((n) => n.id))
    const noLoss = { ...graph, edges: edges.filter((e) => kept.has(e.target.node)) }
    expect(await host.call('load', { ...load, graph: noLoss })).toMatchObject({ kind: 'error' })
    const untrained = await host.call('initial-weights', { ...load, graph: noLoss })
    expect(untrained).toMatchObject({ kind: 'response' })
    expect(Object.keys((untrained.result as { tensors: object }).tensors)).toEqual(
      Object.keys(fresh as object),
    )
  })
})
