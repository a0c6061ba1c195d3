import { afterEach, describe, expect, it } from 'vitest'
import { defaultGraph } from '../graph/test-graphs'
import type { HostPort } from '../test/host-port'
import { openHostPort } from '../test/host-port'

const open: HostPort[] = []
afterEach(() => {
  for (const port of open.splice(0)) port.close()
})

function connect() {
  const port = openHostPort()
  open.push(port)
  return { send: port.post, next: port.next }
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
