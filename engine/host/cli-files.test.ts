// The CLI with files that are not what it needs: real files in a temporary folder, a real child
// process, its exit code and its one-line messages. Nothing is trained when an argument is wrong,
// and nothing the user had is lost.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const repo = resolve(import.meta.dirname, '../..')
const xor = resolve(repo, 'assets/examples/xor.json')

function dendrite(...args: string[]) {
  return run(process.execPath, '--import', 'tsx', 'engine/host/cli.ts', ...args)
}

/** The CLI in a shell that lets it write files of at most `kib` KiB. */
function dendriteWithFileLimit(kib: number, ...args: string[]) {
  const cli = [process.execPath, '--import', 'tsx', 'engine/host/cli.ts', ...args]
  return run('bash', '-c', `ulimit -f ${kib} && exec "$@"`, 'bash', ...cli)
}

function run(command: string, ...args: string[]) {
  const r = spawnSync(command, args, { cwd: repo, encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'dendrite-cli-files-'))
}

describe('dendrite reading a CSV beside a JSON project', () => {
  it('refuses a CSV that is not UTF-8, naming the file and the byte', () => {
    const dir = folder()
    const project = JSON.parse(readFileSync(xor, 'utf8')) as Record<string, unknown>
    project.data = {
      kind: 'csv',
      name: 'cities.csv',
      target: 'city',
      task: 'auto',
      standardize: false,
      trainRatio: 0.5,
      seed: 1,
    }
    writeFileSync(join(dir, 'project.json'), JSON.stringify(project))
    // "München" in Latin-1: 0xFC, at byte 14, is not UTF-8.
    const latin1 = (s: string) => Buffer.from(s, 'latin1')
    writeFileSync(join(dir, 'cities.csv'), latin1('x,y,city\n1,2,München\n3,4,Paris\n5,6,Paris\n'))
    const r = dendrite('check', join(dir, 'project.json'))
    expect(r.code).toBe(1)
    expect(r.err).toBe(
      `the data set cannot be made:\n  ${join(dir, 'cities.csv')}: byte 14: not UTF-8 text\n`,
    )
  })
})

describe('dendrite --epochs and --seed', () => {
  it('refuses a value a project file cannot hold before training, so nothing is lost', () => {
    const dir = folder()
    const save = join(dir, 'seed.dendrite')
    const r = dendrite('train', xor, '--seed', '5000000000', '--epochs', '1', '--save', save)
    expect(r.code).toBe(2)
    expect(r.err.split('\n')[0]).toBe(
      '--seed must be a whole number from 0 to 4294967295, got "5000000000"',
    )
    expect(r.out).toBe('')
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses values that are not decimal whole numbers', () => {
    for (const [flag, text] of [
      ['--seed', ''],
      ['--seed', '0x10'],
      ['--epochs', '1e20'],
    ] as const) {
      const r = dendrite('train', xor, flag, text, '--quiet')
      expect(r.code, `${flag} ${text}`).toBe(2)
      expect(r.err.split('\n')[0]).toContain(`${flag} must be a whole number from `)
      expect(r.out).toBe('')
    }
  })
})

describe('dendrite output files', () => {
  it('refuses an export into a missing folder before training', () => {
    const dir = folder()
    const out = join(dir, 'nodir', 'out.onnx')
    const r = dendrite('train', xor, '--epochs', '1', '--export', out)
    expect(r.code).toBe(2)
    expect(r.err).toBe(`--export ${out}: the folder ${join(dir, 'nodir')} does not exist\n`)
    expect(r.out).toBe('')
  })

  it('refuses to save over a folder before training, leaving no temporary file', () => {
    const dir = folder()
    const save = join(dir, 'isdir.dendrite')
    mkdirSync(save)
    const r = dendrite('train', xor, '--epochs', '1', '--save', save)
    expect(r.code).toBe(2)
    expect(r.err).toBe(`--save ${save}: ${save} is a folder\n`)
    expect(r.out).toBe('')
    expect(readdirSync(dir)).toEqual(['isdir.dendrite'])
  })

  it('checks the weights file a .py export writes beside it, and export files under a file', () => {
    const dir = folder()
    mkdirSync(join(dir, 'model.safetensors'))
    writeFileSync(join(dir, 'file'), '')
    const py = join(dir, 'model.py')
    const r = dendrite('export', xor, py, '--epochs', '1')
    expect(r.code).toBe(2)
    expect(r.err).toBe(`export ${py}: ${join(dir, 'model.safetensors')} is a folder\n`)
    const under = join(dir, 'file', 'out.onnx')
    const r2 = dendrite('train', xor, '--export', under)
    expect(r2.err).toBe(`--export ${under}: ${join(dir, 'file')} is not a folder\n`)
    expect(readdirSync(dir).sort()).toEqual(['file', 'model.safetensors'])
  })

  it('says in one line which file the disk refused after training, keeping the old one', () => {
    const dir = folder()
    const save = join(dir, 'xor.dendrite')
    writeFileSync(save, 'OLD PROJECT')
    // Files of at most 1 KiB: the trained project (about 2.6 KB) cannot be written.
    const r = dendriteWithFileLimit(1, 'train', xor, '--epochs', '1', '--quiet', '--save', save)
    expect(r.code, r.err).toBe(1)
    expect(r.out).toMatch(/^XOR[^]*done in/)
    expect(r.err).toBe(`cannot write ${save}: the file is larger than this system allows\n`)
    expect(readFileSync(save, 'utf8')).toBe('OLD PROJECT')
    expect(readdirSync(dir)).toEqual(['xor.dendrite'])
  })

  it('keeps the project it saves over as .bak, as the studio does', () => {
    const dir = folder()
    const save = join(dir, 'xor.dendrite')
    expect(dendrite('train', xor, '--epochs', '1', '--quiet', '--save', save).code).toBe(0)
    const first = readFileSync(save)
    const r = dendrite('train', save, '--epochs', '1', '--quiet', '--save', save)
    expect(r.code, r.err).toBe(0)
    expect(readFileSync(`${save}.bak`)).toEqual(first)
    expect(readdirSync(dir).sort()).toEqual(['xor.dendrite', 'xor.dendrite.bak'])
  })
})
