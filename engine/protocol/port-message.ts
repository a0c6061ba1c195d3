// The window or Worker message that carries the engine's port (as ports[0]). Kept apart from
// port.ts, which names DOM types, so that Electron's preloads can import it without the DOM.
export const ENGINE_PORT_MESSAGE = 'dendrite:engine-port'
