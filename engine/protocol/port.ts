// The one channel between studio and engine: a MessagePort in Electron, a Worker's port in the
// browser, a MessageChannel in Node tests. Only what both ends use is named here.

export interface PortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  start?: () => void
}
