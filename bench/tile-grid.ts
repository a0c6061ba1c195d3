// The grid of matmul tiles the bench looks over, past TILES (engine/backends/webgpu/tiled.ts):
// `bench:tiles --sweep` times each on the step's products, and `bench --tiles=grid` lets the
// tuner choose from all of them, so that one run on a GPU says which tiles TILES should hold.

import type { MatmulTile } from '../engine/backends/webgpu'
import { TILES, threads, tileProblem } from '../engine/backends/webgpu/tiled'

/**
 * Every tile that tileProblem allows in the 16 KiB of workgroup memory every device offers,
 * with a warp or more of invocations, of blocks 32 to 128 wide, depths 8 to 32, 4 or 8 rows and
 * columns an invocation, with and without prefetching: 110 tiles, TILES' among them; then
 * TILES' double-buffered ones, for devices that offer them more.
 */
export function tileGrid(): MatmulTile[] {
  const out: MatmulTile[] = []
  for (const bm of [32, 64, 128]) {
    for (const bn of [32, 64, 128]) {
      for (const bk of [8, 16, 32]) {
        for (const [tm, tn] of [
          [4, 4],
          [4, 8],
          [8, 4],
          [8, 8],
        ] as const) {
          for (const prefetch of [false, true]) {
            const t = { bm, bn, bk, tm, tn, prefetch }
            if (tileProblem(t) === null && threads(t) >= 32) out.push(t)
          }
        }
      }
    }
  }
  return [...out, ...(Object.values(TILES) as MatmulTile[]).filter((t) => t.prefetch === 'double')]
}
