// Checks electron-builder's configuration without downloading anything: it packs the built app
// (--dir) against a stand-in Electron binary that carries Electron's fuse marker, so the config,
// the file list and the fuse settings are all validated. Installers proper need the network.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const work = mkdtempSync(join(tmpdir(), 'dendrite-pack-'))
try {
  const dist = join(work, 'electron-dist')
  spawnSync('mkdir', ['-p', dist])
  const fuseWire = Buffer.concat([
    Buffer.from(`#!/bin/sh\nexit 0\n# fuse wire: ${FUSE_SENTINEL}`),
    Buffer.from([1, 8]),
    Buffer.from('10110001\n'),
  ])
  writeFileSync(join(dist, 'electron'), fuseWire)
  chmodSync(join(dist, 'electron'), 0o755)
  const out = join(work, 'out')
  const result = spawnSync(
    'npx',
    ['electron-builder', '--dir', `-c.electronDist=${dist}`, `-c.directories.output=${out}`],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  )
  const asar = join(out, 'linux-unpacked', 'resources', 'app.asar')
  if (result.status !== 0 || !existsSync(asar)) {
    console.error(result.stdout, result.stderr)
    console.error('electron-builder rejected the configuration (see above).')
    process.exit(1)
  }
  console.log('electron-builder accepted the configuration and packed app.asar.')
} finally {
  rmSync(work, { recursive: true, force: true })
}
