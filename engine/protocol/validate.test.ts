import { describe, expect, it } from 'vitest'
import { defaultGraph } from '../graph/test-graphs'
import { parseEngineMessage, parseRequest, requestIdOf } from './validate'

describe('parseRequest (engine side)', () => {
  it('accepts hello and inspect', () => {
    expect(parseRequest({ v: 1, kind: 'request', id: 1, type: 'hello' }).ok).toBe(true)
    const inspect = { v: 1, kind: 'request', id: 2, type: 'inspect', graph: defaultGraph() }
    expect(parseRequest(inspect).ok).toBe(true)
  })

  it.each([
    [null, 'bad-message'],
    ['hello', 'bad-message'],
    [[1, 2], 'bad-message'],
    [{ v: 2, kind: 'request', id: 1, type: 'hello' }, 'unsupported-version'],
    [{ kind: 'request', id: 1, type: 'hello' }, 'unsupported-version'],
    [{ v: 1, kind: 'response', id: 1, type: 'hello' }, 'bad-message'],
    [{ v: 1, kind: 'request', id: 1, type: 'launch' }, 'unknown-type'],
    [{ v: 1, kind: 'request', id: -1, type: 'hello' }, 'bad-message'],
    [{ v: 1, kind: 'request', id: 1, type: 'inspect', graph: { nodes: 3 } }, 'bad-message'],
  ])('refuses %j with %s', (message, code) => {
    const r = parseRequest(message)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.code).toBe(code)
  })

  it('names the path of a bad field', () => {
    const graph = defaultGraph()
    const bad = { ...graph, nodes: [{ ...graph.nodes[0], position: { x: 'left', y: 0 } }] }
    const r = parseRequest({ v: 1, kind: 'request', id: 3, type: 'inspect', graph: bad })
    expect(r.ok ? '' : r.message).toContain('graph.nodes[0].position.x')
  })

  it('refuses set-weights whose data is not as long as its shape', () => {
    const tensors = {
      'dense1.weight': { shape: [2, 2], data: new Float32Array(4) },
      'dense1.bias': { shape: [2], data: new Float32Array(1) },
    }
    const r = parseRequest({ v: 1, kind: 'request', id: 4, type: 'set-weights', tensors })
    expect(r.ok ? null : [r.code, r.message]).toEqual([
      'bad-message',
      expect.stringMatching(/dense1\.bias.*data: shape \[2\] takes 2 values, got 1$/) as string,
    ])
    tensors['dense1.bias'].data = new Float32Array(2)
    expect(parseRequest({ v: 1, kind: 'request', id: 4, type: 'set-weights', tensors }).ok).toBe(
      true,
    )
  })

  it('reads the id of a broken request where it can', () => {
    expect(requestIdOf({ id: 7, type: 'nope' })).toBe(7)
    expect(requestIdOf({ id: 'x' })).toBeNull()
    expect(requestIdOf(undefined)).toBeNull()
  })
})

describe('parseEngineMessage (studio side)', () => {
  it('checks a result against its request type', () => {
    const ok = {
      v: 1,
      kind: 'response',
      id: 1,
      type: 'hello',
      result: { engineVersion: '0.1.0', protocol: 1, backends: [{ name: 'cpu' }] },
    }
    expect(parseEngineMessage(ok).ok).toBe(true)
    const bad = { ...ok, result: { engineVersion: 1 } }
    const r = parseEngineMessage(bad)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.message).toContain('result:')
  })

  it('takes a plane result with a range per axis, each running low to high', () => {
    const t = { shape: [4, 1], data: new Float32Array(4) }
    const plane = { kind: 'plane', resolution: 2, features: [2, 3], nodes: { d: t } }
    const reply = (ranges: object) => ({
      v: 1,
      kind: 'response',
      id: 1,
      type: 'probe',
      result: { ...plane, prediction: t, ...ranges },
    })
    expect(parseEngineMessage(reply({ xRange: [0.7, 7.2], yRange: [-0.02, 2.6] })).ok).toBe(true)
    expect(parseEngineMessage(reply({ range: [0.1, 7.9] })).ok).toBe(false)
    const r = parseEngineMessage(reply({ xRange: [0.7, 7.2], yRange: [2.6, -0.02] }))
    expect(r.ok ? '' : r.message).toContain('yRange')
  })

  it('accepts error replies and events, refuses strangers', () => {
    expect(
      parseEngineMessage({
        v: 1,
        kind: 'error',
        id: null,
        code: 'bad-message',
        message: 'x',
      }).ok,
    ).toBe(true)
    expect(parseEngineMessage({ v: 1, kind: 'event', type: 'ready', engineVersion: '1' }).ok).toBe(
      true,
    )
    expect(parseEngineMessage({ v: 1, kind: 'event', type: 'boom' }).ok).toBe(false)
    expect(parseEngineMessage({ v: 9, kind: 'event', type: 'ready' }).ok).toBe(false)
  })
})

describe('metrics of a diverging run', () => {
  it('carry Infinity and NaN as they are', () => {
    const event = {
      v: 1,
      kind: 'event',
      type: 'progress',
      step: 3,
      epoch: 0,
      totalSteps: 10,
      stepsPerEpoch: 5,
      learningRate: 10,
      stepsPerSecond: 100,
      train: { loss: Infinity, accuracy: NaN },
    }
    expect(parseEngineMessage(event).ok).toBe(true)
    expect(parseEngineMessage({ ...event, train: { loss: 'big' } }).ok).toBe(false)
  })
})
