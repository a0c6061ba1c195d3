// The tuner's choices kept between runs of the app (tune.ts measures them): timing every tile
// and split of a large model's products takes seconds on a GPU, each time the app starts. A
// choice is kept under the adapter that measured it and the tile set it chose from, so another
// GPU, or a build with other tiles, measures afresh; what comes back is checked before use.
// The app keeps them in IndexedDB (idb-keyval), which the engine's hidden window and its
// browser-mode Worker both have; the CLI, in Node, in a file (tune-memory-node.ts).

import { createStore, get, set } from 'idb-keyval'
import { z } from 'zod'
import type { ProductChoice } from './split-products'
import type { TileName } from './tiled'
import { TILES } from './tiled'

/** Where the tuner keeps its choices: values as written, or anything for a key it never wrote. */
export interface TuneMemory {
  read(key: string): Promise<unknown>
  write(key: string, value: unknown): Promise<void>
}

/** The kept choices in IndexedDB, or null where this context has none. */
export function indexedDbMemory(): TuneMemory | null {
  if (typeof indexedDB === 'undefined') return null
  const store = createStore('dendrite-tuning', 'choices')
  return {
    // async: IndexedDB may refuse at once (an opaque origin), which then rejects like a failure.
    read: async (key) => get(key, store),
    write: async (key, value) => set(key, value, store),
  }
}

const TILE_NAMES = Object.keys(TILES) as [TileName, ...TileName[]]

const Kept = z.object({ tile: z.enum(TILE_NAMES), parts: z.number().int().min(1) })

/**
 * The key of a product's choice (tune.ts's key for it) on the device's adapter, with the tile
 * set it was chosen from.
 */
export function memoryKey(device: GPUDevice, product: string): string {
  const info = device.adapterInfo as GPUAdapterInfo | undefined
  const adapter = [info?.vendor, info?.architecture, info?.device, info?.description]
  return `${adapter.map((s) => s ?? '').join('/')}|tiles ${JSON.stringify(TILES)}|${product}`
}

/** A choice as kept: its tile by name. */
export function keptChoice(choice: ProductChoice): z.infer<typeof Kept> | null {
  const name = TILE_NAMES.find((n) => TILES[n] === choice.tile)
  return name === undefined ? null : { tile: name, parts: choice.parts }
}

/** The choice kept as `value`, or null where it is not one (tune.ts checks it fits the product). */
export function keptAs(value: unknown): ProductChoice | null {
  const kept = Kept.safeParse(value)
  return kept.success ? { tile: TILES[kept.data.tile], parts: kept.data.parts } : null
}
