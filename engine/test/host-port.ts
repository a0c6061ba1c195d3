// A real engine host on a Node MessageChannel, for tests that talk to it as the studio does.
// Every message the host sends must pass the studio's own validation.
import { MessageChannel } from 'node:worker_threads'
import { serve } from '../host/serve'
import type { PortLike } from '../protocol/port'
import { parseEngineMessage } from '../protocol/validate'

export interface HostPort {
  /** Posts anything, well-formed or not, to the host. */
  post(message: unknown): void
  /** The next message from the host, in order. */
  next(): Promise<unknown>
  close(): void
}

export function openHostPort(): HostPort {
  const channel = new MessageChannel()
  // Node's MessagePort is an EventTarget delivering MessageEvent-like objects; the host only
  // reads event.data, so it serves as the PortLike.
  serve(channel.port2 as unknown as PortLike, {
    hello: () =>
      Promise.resolve({ engineVersion: '0.1.0', protocol: 1, backends: [{ name: 'cpu' }] }),
    sources: () => Promise.resolve({}),
  })
  const inbox: unknown[] = []
  const waiters: (() => void)[] = []
  channel.port1.on('message', (m: unknown) => {
    const parsed = parseEngineMessage(m)
    if (!parsed.ok) throw new Error(`invalid engine message: ${parsed.message}`)
    inbox.push(m)
    waiters.shift()?.()
  })
  return {
    post: (m) => channel.port1.postMessage(m),
    next: async () => {
      while (inbox.length === 0) await new Promise<void>((r) => waiters.push(r))
      return inbox.shift()
    },
    close: () => {
      channel.port1.close()
      channel.port2.close()
    },
  }
}
