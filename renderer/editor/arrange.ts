// Auto-arrange: elkjs's layered layout (through rete-auto-arrange-plugin) computes where every
// node should go; the caller applies the positions as one project edit (moveNodes), so one undo
// puts everything back. The plugin and elkjs load on first use: most sessions never arrange.
import type { AreaPlugin } from 'rete-area-plugin'
import type { Point } from '../project/graph-edits'
import { topLeft } from '../project/graph-edits'
import type { AreaExtra, Schemes } from './schemes'

type Arranger = (area: AreaPlugin<Schemes, AreaExtra>) => Promise<Map<string, Point>>

const LAYOUT_OPTIONS = {
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '48',
  'elk.layered.spacing.nodeNodeBetweenLayers': '72',
  'elk.spacing.componentComponent': '72',
}

let arranger: Promise<Arranger> | null = null

async function loadArranger(): Promise<Arranger> {
  const { AutoArrangePlugin, ArrangeAppliers, Presets } = await import('rete-auto-arrange-plugin')
  /** Applies nothing: the positions go through the project store instead. */
  class Collect extends ArrangeAppliers.StandardApplier<Schemes, AreaExtra> {
    override apply(): Promise<void> {
      return Promise.resolve()
    }
  }
  const attached = new WeakMap<object, InstanceType<typeof AutoArrangePlugin<Schemes, AreaExtra>>>()
  return async (area) => {
    let plugin = attached.get(area)
    if (!plugin) {
      plugin = new AutoArrangePlugin<Schemes, AreaExtra>()
      plugin.addPreset(Presets.classic.setup())
      area.use(plugin)
      attached.set(area, plugin)
    }
    const { result } = await plugin.layout({ applier: new Collect(), options: LAYOUT_OPTIONS })
    const out = new Map<string, Point>()
    for (const child of result.children ?? []) {
      if (child.x !== undefined && child.y !== undefined)
        out.set(child.id, { x: child.x, y: child.y })
    }
    return out
  }
}

/**
 * Where elk would put each node, shifted so the arranged graph keeps the top-left corner the
 * graph has now (it tidies in place instead of jumping away).
 */
export async function arrangedPositions(
  area: AreaPlugin<Schemes, AreaExtra>,
): Promise<Map<string, Point>> {
  arranger ??= loadArranger()
  const positions = await (await arranger)(area)
  const now = topLeft([...area.nodeViews.values()])
  const then = topLeft([...positions.values()].map((position) => ({ position })))
  const out = new Map<string, Point>()
  for (const [id, p] of positions) {
    out.set(id, { x: Math.round(p.x - then.x + now.x), y: Math.round(p.y - then.y + now.y) })
  }
  return out
}
