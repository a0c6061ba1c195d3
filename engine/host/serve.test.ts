import { MessageChannel } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultGraph } from '../graph/test-graphs'
import type { PortLike } from '../protocol/port'
import { serve } from './serve'

// Node's MessagePort is an EventTarget that delivers MessageEvent-like objects; the engine only
// reads event.data, so it serves as the PortLike here.
const channels: MessageChannel[] = []
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close()
    c.port2.close()
  }
})

function connect() {
  const channel = new MessageChannel()
  channels.push(channel)
  serve(channel.port2 as unknown as PortLike, {
    hello: () =>
      Promise.resolve({ engineVersion: '0.1.0', protocol: 1, backends: [{ name: 'cpu' }] }),
    sources: () => Promise.resolve({}),
  })
  const received: unknown[] = []
  const waiters: (() => void)[] = []
  channel.port1.on('message', (data: unknown) => {
    received.push(data)
    waiters.shift()?.()
  })
  const next = async () => {
    if (received.length === 0) await new Promise<void>((r) => waiters.push(r))
    return received.shift()
  }
  return { send: (m: unknown) => channel.port1.postMessage(m), next }
}

describe('engine host', () => {
  it('announces itself, then answers hello and inspect', async () => {
    const { send, next } = connect()
    expect(await next()).toMatchObject({ kind: 'event', type: 'ready' })
    send({ v: 1, kind: 'request', id: 1, type: 'hello' })
    expect(await next()).toMatchObject({ kind: 'response', id: 1, type: 'hello' })
    send({ v: 1, kind: 'request', id: 2, type: 'inspect', graph: defaultGraph() })
    const reply = await next()
    expect(reply).toMatchObject({ kind: 'response', id: 2, result: { totals: { params: 42 } } })
  })

  it('answers malformed and unknown messages with typed errors and keeps serving', async () => {
    const { send, next } = connect()
    await next()
    send('garbage')
    expect(await next()).toMatchObject({ kind: 'error', id: null, code: 'bad-message' })
    send({ v: 1, kind: 'request', id: 5, type: 'fly' })
    expect(await next()).toMatchObject({ kind: 'error', id: 5, code: 'unknown-type' })
    send({ v: 0, kind: 'request', id: 6, type: 'hello' })
    expect(await next()).toMatchObject({ kind: 'error', id: 6, code: 'unsupported-version' })
    send({ v: 1, kind: 'request', id: 7, type: 'hello' })
    expect(await next()).toMatchObject({ kind: 'response', id: 7 })
  })
})
