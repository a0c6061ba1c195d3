// The minimap (rete-minimap-plugin, drawn by rete-vue-plugin's preset) in the canvas's corner.
// The plugin redraws on every node and view signal, which is quadratic while a large graph loads
// node by node; here it gets at most one redraw per animation frame.
import type { AreaPlugin } from 'rete-area-plugin'
import { MinimapPlugin } from 'rete-minimap-plugin'
import type { AreaExtra, Schemes } from './schemes'

/** The minimap's height in pixels; it is 1.5 times as wide. */
export const MINIMAP_HEIGHT = 96

/** Signals after which the minimap is drawn again. */
const REDRAW_ON = new Set([
  'render',
  'nodetranslated',
  'nodecreated',
  'noderemoved',
  'translated',
  'zoomed',
  'resized',
])

export function addMinimap(area: AreaPlugin<Schemes, AreaExtra>): MinimapPlugin<Schemes> {
  const minimap = new MinimapPlugin<Schemes>({ boundViewport: true, ratio: 1.5, minDistance: 1200 })
  // use() wires the plugin to the area (its parent, its rendering) and appends one pipe that
  // forwards every area signal to it; that pipe is swapped for one that coalesces redraws.
  area.use(minimap)
  area.signal.pipes.pop()
  let scheduled = false
  const redraw = (): void => {
    scheduled = false
    const t = { ...area.area.transform }
    void minimap.signal.emit({ type: 'translated', data: { position: t, previous: t } })
  }
  area.addPipe((context) => {
    const node = context.type !== 'render' || context.data.type === 'node'
    if (REDRAW_ON.has(context.type) && node && !scheduled) {
      scheduled = true
      requestAnimationFrame(redraw)
    }
    return context
  })
  return minimap
}
