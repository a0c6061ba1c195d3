// `npm start`: build, then open the desktop studio. Where Electron's binary is missing it tries
// to fetch it once; where it cannot be had it says so in one line and starts browser mode.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

function run(cmd, args, options = {}) {
  return spawnSync(cmd, args, { stdio: 'inherit', ...options }).status === 0
}

/** The Electron executable, or null with the reason it is not there. */
function electronBinary() {
  const pkgDir = dirname(require.resolve('electron/package.json'))
  const pathFile = join(pkgDir, 'path.txt')
  if (!existsSync(pathFile)) return { path: null, reason: 'its binary was never downloaded' }
  const path = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(path) ? { path } : { path: null, reason: `${path} is missing` }
}

function fetchElectron() {
  const pkgDir = dirname(require.resolve('electron/package.json'))
  console.log("Fetching Electron's binary (first start)…")
  return run(process.execPath, [join(pkgDir, 'install.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  })
}

if (!run('npx', ['electron-vite', 'build', '--logLevel', 'warn'])) process.exit(1)

let electron = electronBinary()
if (!electron.path && process.env.DENDRITE_BROWSER !== '1' && fetchElectron()) {
  electron = electronBinary()
}
if (electron.path && process.env.DENDRITE_BROWSER !== '1') {
  const child = spawn(electron.path, ['.'], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  const why = electron.reason ?? 'browser mode was asked for'
  console.log(`Electron is not available here (${why}); starting browser mode instead.`)
  const server = spawn('npx', ['tsx', 'electron/server/cli.ts', ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  server.on('exit', (code) => process.exit(code ?? 0))
}
