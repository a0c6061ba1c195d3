// What the status bar says about the engine's backend and the graph's problems.
import { describe, expect, it } from 'vitest'
import type { HelloResult } from '../../engine/protocol/messages'
import { backendText, problemsText } from './status-text'

const base = { engineVersion: '0.1.0', protocol: 1 as const }

describe('backendText', () => {
  it('names the WebGPU adapter when there is one', () => {
    const hello: HelloResult = {
      ...base,
      backends: [{ name: 'webgpu', adapter: 'google / swiftshader' }, { name: 'cpu' }],
    }
    expect(backendText('ready', hello, null)).toBe('WebGPU · google / swiftshader')
  })

  it('says why it runs on the CPU', () => {
    const hello: HelloResult = {
      ...base,
      backends: [{ name: 'cpu' }],
      webgpuUnavailable: 'no adapter offered',
    }
    expect(backendText('ready', hello, null)).toBe('CPU · no adapter offered')
  })

  it("names the loaded session's backend over what the engine offers", () => {
    const hello: HelloResult = {
      ...base,
      backends: [{ name: 'cpu' }, { name: 'webgpu', adapter: 'google / swiftshader' }],
    }
    const cpu = { name: 'cpu', reason: 'the adapter emulates a GPU' }
    expect(backendText('ready', hello, null, cpu)).toBe('CPU · the adapter emulates a GPU')
    expect(backendText('ready', hello, null, { name: 'webgpu', adapter: 'nvidia / hopper' })).toBe(
      'WebGPU · nvidia / hopper',
    )
  })

  it('says when the engine is starting or failed', () => {
    expect(backendText('connecting', null, null)).toBe('Starting engine…')
    expect(backendText('failed', null, 'no port')).toBe('Engine failed · no port')
  })
})

describe('problemsText', () => {
  it('counts in words', () => {
    expect(problemsText(0, 0)).toBe('No problems')
    expect(problemsText(1, 0)).toBe('1 error')
    expect(problemsText(0, 1)).toBe('1 warning')
    expect(problemsText(4, 2)).toBe('4 errors · 2 warnings')
  })

  it('counts hints too, after errors and warnings', () => {
    expect(problemsText(0, 0, 1)).toBe('1 hint')
    expect(problemsText(1, 2, 3)).toBe('1 error · 2 warnings · 3 hints')
  })
})
