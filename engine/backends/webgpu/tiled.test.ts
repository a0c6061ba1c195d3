// The tiled matmul's blocks (tiled.ts): every tile the picker may choose is one WebGPU can run,
// a malformed one is refused with the reason, and the picker fits the block to the result.

import { describe, expect, it } from 'vitest'
import { TILES, pickTile, tileProblem } from './tiled'

describe('matmul tiles', () => {
  it('are all valid: vec4 blocks, at most 256 invocations and 16 KiB of workgroup memory', () => {
    for (const tile of Object.values(TILES)) expect(tileProblem(tile)).toBeNull()
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
