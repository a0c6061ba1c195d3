// The device-limit messages: sizes that differ read as different.
import { describe, expect, it } from 'vitest'
import { DeviceLimitError, checkLimits } from './buffers'

const GiB = 1024 ** 3
const limits = { maxBufferSize: GiB, maxStorageBufferBindingSize: GiB }

function refusal(bytes: number, storage = false, max = limits): string {
  try {
    checkLimits([{ what: 'param d.weight f32[16500,16500]', bytes, storage }], max)
  } catch (err) {
    if (err instanceof DeviceLimitError) return err.message
    throw err
  }
  return 'accepted'
}

describe('checkLimits', () => {
  it('gives a need just over the limit the digits that show it is over', () => {
    // 16500² floats: 1.014 GiB, once printed as "needs 1.0 GiB; allows 1.0 GiB".
    expect(refusal(16500 * 16500 * 4)).toContain(
      'needs 1.01 GiB in one buffer; this device allows 1.00 GiB (maxBufferSize)',
    )
    const binding = { ...limits, maxBufferSize: 4 * GiB }
    expect(refusal(GiB + 3 * 2 ** 20, true, binding)).toContain(
      'needs 1.003 GiB bound at once; this device binds at most 1.000 GiB',
    )
  })

  it('gives the bytes when 3 decimals still read the same', () => {
    expect(refusal(GiB + 4)).toContain(
      'needs 1.000 GiB (1,073,741,828 bytes) in one buffer; ' +
        'this device allows 1.000 GiB (1,073,741,824 bytes)',
    )
  })

  it('keeps one decimal where it tells the sizes apart', () => {
    expect(refusal(2 * GiB)).toContain('needs 2.0 GiB in one buffer; this device allows 1.0 GiB')
    const many = Array.from({ length: 5 }, () => ({ what: 'a', bytes: GiB * 0.9, storage: false }))
    expect(() => checkLimits(many, limits)).toThrow(
      'this model needs 4.5 GiB on the device, more than the 4.0 GiB',
    )
  })
})
