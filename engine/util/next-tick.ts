// Yields to the event loop so queued messages (pause, probe, set the learning rate) are handled
// between training chunks. Timers are throttled in hidden windows, so this uses setImmediate in
// Node and a MessageChannel elsewhere, neither of which is throttled.

type Immediate = (callback: () => void) => unknown

let channel: MessageChannel | null = null
const waiting: (() => void)[] = []

export function nextTick(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate
  if (immediate) return new Promise((resolve) => immediate(resolve))
  return new Promise((resolve) => {
    if (!channel) {
      channel = new MessageChannel()
      channel.port1.onmessage = () => waiting.shift()?.()
    }
    waiting.push(resolve)
    channel.port2.postMessage(null)
  })
}
