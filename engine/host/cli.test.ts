// The CLI as a person uses it: real project files on disk, a real child process, its exit code
// and what it prints.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'

const repo = resolve(import.meta.dirname, '../..')
const examples = resolve(repo, 'assets/examples')

function dendrite(...args: string[]) {
  return dendriteWith({}, ...args)
}

function dendriteWith(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'engine/host/cli.ts', ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** Chromium's SwiftShader Vulkan driver, which Dawn can use where there is no GPU. */
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json'

/** A copy of a sample project with some fields changed, written to a temporary folder. */
function variant(sample: string, change: (project: Record<string, unknown>) => void, csv?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'dendrite-cli-'))
  const project = JSON.parse(readFileSync(join(examples, sample), 'utf8')) as Record<
    string,
    unknown
  >
  change(project)
  if (csv !== undefined) writeFileSync(join(dir, 'data.csv'), csv)
  writeFileSync(join(dir, 'project.json'), JSON.stringify(project))
  return join(dir, 'project.json')
}

function lastAccuracy(out: string): number {
  const m = /test loss [\d.e+-]+, accuracy ([\d.]+) %/.exec(out.split('done in')[1] ?? '')
  return Number(m?.[1] ?? NaN)
}

describe('dendrite train', () => {
  it('trains the MNIST MLP (784-128-10) to 92 % test accuracy within a minute', () => {
    const started = Date.now()
    const r = dendrite('train', join(examples, 'mnist-mlp.json'))
    const seconds = (Date.now() - started) / 1000
    console.log(`mnist-mlp: ${seconds.toFixed(1)} s\n${r.out}`)
    expect(r.code, r.err).toBe(0)
    expect(r.out).toMatch(/epoch \d\/5 .* test loss/)
    expect(lastAccuracy(r.out)).toBeGreaterThanOrEqual(92)
    expect(seconds).toBeLessThan(60)
  })

  it('trains a small ConvNet to 95 % test accuracy on MNIST', () => {
    // Conv 16@5×5 → ReLU → MaxPool → Flatten → Dense 10, two epochs of batch 16.
    const path = variant('mnist-convnet.json', (p) => {
      const keep = ['input', 'conv1', 'act1', 'pool1', 'flatten', 'dense1', 'loss']
      const graph = p.graph as { nodes: { id: string; attrs: object }[]; edges: unknown[] }
      graph.nodes = graph.nodes.filter((n) => keep.includes(n.id))
      const conv = graph.nodes.find((n) => n.id === 'conv1')
      if (conv) conv.attrs = { filters: 16, kernel: 5, padding: 0 }
      graph.edges = keep.slice(1).map((id, i) => ({
        id: `e${i}`,
        source: { node: keep[i], port: 'y' },
        target: { node: id, port: 'x' },
      }))
      p.training = { ...(p.training as object), batchSize: 16, learningRate: 0.002, epochs: 2 }
    })
    const r = dendrite('train', path, '--quiet')
    console.log(`small convnet: ${r.out}`)
    expect(r.code, r.err).toBe(0)
    expect(lastAccuracy(r.out)).toBeGreaterThanOrEqual(95)
  })

  it('fits sin on [−π, π] with 16 tanh units to MSE ≤ 1e-4', () => {
    const r = dendrite('train', join(examples, 'universal-approximation.json'), '--quiet')
    expect(r.code, r.err).toBe(0)
    const mse = Number(/test loss ([\d.e+-]+)/.exec(r.out.split('done in')[1] ?? '')?.[1])
    expect(mse).toBeLessThanOrEqual(1e-4)
  })

  it('refuses a bad graph with every problem, naming the nodes', () => {
    const path = variant('xor.json', (p) => {
      const graph = p.graph as {
        nodes: { id: string; attrs: Record<string, unknown> }[]
        edges: unknown[]
      }
      const dense = graph.nodes.find((n) => n.id === 'dense1')
      if (dense) dense.attrs.units = -3
      graph.edges.pop()
    })
    const r = dendrite('train', path)
    expect(r.code).toBe(1)
    expect(r.err).toContain('error in node "dense1": Units must be between 1 and 65536 (got -3).')
    expect(r.err).toContain(
      'error in node "loss": Input "prediction" of Cross-entropy is not connected.',
    )
  })

  it('check refuses what train would: a graph with no loss, as train says', () => {
    const path = variant('xor.json', (p) => {
      const graph = p.graph as { nodes: { id: string }[]; edges: { target: { node: string } }[] }
      graph.nodes = graph.nodes.filter((n) => n.id !== 'loss')
      graph.edges = graph.edges.filter((e) => e.target.node !== 'loss')
    })
    const check = dendrite('check', path)
    const train = dendrite('train', path, '--epochs', '1')
    expect([check.code, train.code]).toEqual([1, 1])
    expect(check.err).toContain('the graph cannot train on this data:')
    expect(check.err).toBe(train.err)
  })

  it('refuses a broken CSV with the row and column of each problem', () => {
    const csv = 'a,b,label\n1,2,x\n3,oops,y\n5,6\n'
    const path = variant(
      'xor.json',
      (p) => {
        p.data = {
          kind: 'csv',
          name: 'data.csv',
          target: 'label',
          task: 'auto',
          standardize: false,
          trainRatio: 0.5,
          seed: 1,
        }
      },
      csv,
    )
    const r = dendrite('train', path)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/row 3 column 2 \(b\): .*oops/)
    expect(r.err).toMatch(/row 4/)
  })

  it('stops a diverging run, naming the step and the first non-finite layer', () => {
    const path = variant('universal-approximation.json', (p) => {
      p.training = { ...(p.training as object), learningRate: 50, optimizer: { type: 'sgd' } }
    })
    const r = dendrite('train', path)
    expect(r.code).toBe(3)
    expect(r.err).toMatch(/Training stopped at step \d+: the loss became (NaN|Infinity)\./)
    expect(r.err).toMatch(/first layer whose values went non-finite is "\w+"/)
    expect(r.err).toContain('learning rate may be too high')
  })

  it.skipIf(!existsSync(swiftshader))(
    'trains on WebGPU through Dawn to the same metrics as on the CPU',
    () => {
      const env = { LD_LIBRARY_PATH: '/usr/lib/chromium', VK_ICD_FILENAMES: swiftshader }
      const spiral = join(examples, 'spiral.json')
      const gpu = dendriteWith(env, 'train', spiral, '--backend', 'webgpu', '--epochs', '8')
      const cpu = dendrite('train', spiral, '--epochs', '8')
      expect(gpu.code, gpu.err).toBe(0)
      expect(gpu.out).toContain('(webgpu: google / swiftshader)')
      const done = (out: string) => /train loss [\d.]+, accuracy [\d.]+ %; test .*/.exec(out)?.[0]
      expect(done(gpu.out)).toBeDefined()
      expect(done(gpu.out)).toBe(done(cpu.out))
      const none = dendriteWith(
        { VK_ICD_FILENAMES: '/nonexistent.json' },
        'train',
        spiral,
        '--backend',
        'webgpu',
      )
      expect(none.code).toBe(1)
      expect(none.err + none.out).toContain('--backend webgpu: Dawn found no WebGPU adapter')
      expect(dendrite('train', spiral, '--backend', 'tpu').err).toContain(
        '--backend takes cpu or webgpu, got "tpu"',
      )
    },
  )

  it('explains its usage', () => {
    expect(dendrite('fly').code).toBe(2)
    expect(dendrite('train', 'x.json', '--epochs', 'many').err).toContain(
      '--epochs must be a whole number from 1 to 1000000, got "many"',
    )
  })
})

describe('dendrite export and .dendrite projects', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dendrite-export-'))
  const at = (name: string) => join(dir, name)

  it('trains, exports ONNX and PyTorch, and saves a .dendrite file with weights and curve', () => {
    const r = dendrite(
      'train',
      join(examples, 'xor.json'),
      '--epochs',
      '2',
      '--quiet',
      '--export',
      at('xor.onnx'),
      '--export',
      at('xor.py'),
      '--save',
      at('xor.dendrite'),
    )
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain(`wrote ${at('xor.onnx')}`)
    expect(r.out).toContain(`wrote ${at('xor.py')} and ${at('xor.safetensors')}`)
    expect(r.out).toContain(`saved ${at('xor.dendrite')}`)
    const entries = unzipSync(readFileSync(at('xor.dendrite')))
    const project = JSON.parse(new TextDecoder().decode(entries['project.json'])) as {
      data: unknown
      runs: Record<string, unknown>[]
    }
    // The run as the studio records one: its data set, classes and parameters besides the curve.
    expect(project.runs[0]).toMatchObject({
      steps: 50,
      data: project.data,
      dataName: 'xor',
      classes: 2,
      parameters: 22,
    })
    expect(project.runs[0]?.curve).not.toHaveLength(0)
    expect(readFileSync(at('xor.py'), 'utf8')).toContain('load_model("xor.safetensors")')
  })

  it('exports the weights a .dendrite file holds without training, byte for byte', () => {
    const r = dendrite('export', at('xor.dendrite'), at('again.safetensors'))
    expect(r.code, r.err).toBe(0)
    expect(r.out).not.toContain('training')
    const saved = unzipSync(readFileSync(at('xor.dendrite')))['weights.safetensors']
    expect(new Uint8Array(readFileSync(at('again.safetensors')))).toEqual(saved)
    expect(dendrite('check', at('xor.dendrite')).code).toBe(0)
  })

  it('trains a JSON project first when asked to export it', () => {
    const r = dendrite('export', join(examples, 'xor.json'), at('fresh.onnx'), '--epochs', '1')
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('holds no trained weights: training it first')
    expect(existsSync(at('fresh.onnx'))).toBe(true)
  })

  it('refuses a damaged .dendrite file and bad export arguments, saying where and why', () => {
    writeFileSync(at('broken.dendrite'), readFileSync(at('xor.dendrite')).subarray(0, 300))
    const r = dendrite('train', at('broken.dendrite'))
    expect(r.code).toBe(1)
    expect(r.err).toContain('is not a valid project:')
    expect(r.err).toMatch(/zip: byte 300: no zip end record/)
    expect(dendrite('export', 'x.json').err).toContain('export needs an output file')
    expect(dendrite('train', 'x.json', '--export', 'w.txt').err).toContain('must end in')
    expect(dendrite('check', 'x.json', '--save', 'a.dendrite').err).toContain('option of train')
  })

  it('refuses a folder that takes no new files before training, not after', () => {
    // /sys refuses new files to every user, root included.
    const r = dendrite('train', join(examples, 'xor.json'), '--save', '/sys/x.dendrite')
    expect(r.code).toBe(2)
    expect(r.err).toContain('--save /sys/x.dendrite: the folder /sys takes no new files (')
    expect(r.out).not.toContain('epoch')
  })
})
