// The tiled matmul's blocks (tiled.ts): every tile the picker may choose is one WebGPU can run,
// a malformed one is refused with the reason, and the picker fits the block to the result.

import { describe, expect, it } from 'vitest'
import type { MatmulTile } from './tiled'
import { TILES, pickTile, tileProblem, tileSpec } from './tiled'

describe('matmul tiles', () => {
  it('are all valid: vec4 blocks, at most 256 invocations and 32 KiB of workgroup memory', () => {
    for (const tile of Object.values(TILES)) expect(tileProblem(tile, 32768)).toBeNull()
  })

  it('need more than the 16 KiB every device offers only where they hold two slices', () => {
    const over = Object.entries(TILES).filter(([, tile]) => tileProblem(tile) !== null)
    expect(over.map(([name]) => name).sort()).toEqual(['large8x2', 'tall8x2'])
    for (const [, tile] of over) expect((tile as MatmulTile).prefetch).toBe('double')
    expect(tileProblem(TILES.large8x2)).toBe(
      '16896 bytes of workgroup memory (the device offers 16384)',
    )
  })

  it('name their staging in their kernels keys', () => {
    expect(tileSpec(TILES.lean8)).toBe('64x64x16/8x8')
    expect(tileSpec(TILES.square8)).toBe('64x64x16/8x8:prefetch')
    expect(tileSpec(TILES.tall8x2)).toBe('128x64x16/8x8:double')
  })

  it('refuses a tile that does not divide, naming why', () => {
    expect(tileProblem({ bm: 64, bn: 64, bk: 16, tm: 6, tn: 4 })).toMatch(/multiples of 4/)
    expect(tileProblem({ bm: 128, bn: 128, bk: 16, tm: 4, tn: 4 })).toMatch(/1024 invocations/)
    expect(tileProblem({ bm: 128, bn: 128, bk: 64, tm: 8, tn: 8 })).toMatch(/workgroup memory/)
  })

  it('takes the largest block the result fills', () => {
    expect(pickTile(256, 2048)).toBe(TILES.square)
    expect(pickTile(32, 2048)).toBe(TILES.wide)
    expect(pickTile(10, 8)).toBe(TILES.small)
    expect(pickTile(2048, 10)).toBe(TILES.small)
  })
})
