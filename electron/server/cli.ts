// `npm run serve` and `npm start`'s fallback: serve the built studio in browser mode and print
// the URL (opening it where a display and a browser exist).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { readAppInfo } from '../services/app-info'
import type { RunningServer } from './server'
import { STUDIO_PAGE, STUDIO_PORTS, startServer, startServerOnPorts } from './server'

const repo = resolve(import.meta.dirname, '../..')
const root = resolve(repo, 'out/renderer')

async function main(): Promise<void> {
  if (!existsSync(resolve(root, `.${STUDIO_PAGE}`))) {
    console.error(`The studio is not built (no ${root}${STUDIO_PAGE}); run "npm run build".`)
    process.exit(1)
  }
  const portArg = process.argv.find((a) => a.startsWith('--port='))
  const options = { root, appInfo: readAppInfo(resolve(repo, 'package.json'), 'browser') }
  let server: RunningServer
  if (portArg) {
    server = await startServer({ ...options, port: Number(portArg.slice('--port='.length)) })
  } else {
    const chosen = await startServerOnPorts(options)
    if (chosen.fellBack) {
      console.log(
        `Ports ${STUDIO_PORTS.join(', ')} are taken (other studios?): this one has a port of its ` +
          'own, so it does not see what the page kept on those (recovery, layout).',
      )
    }
    server = chosen
  }
  console.log(`Dendrite is running in browser mode: ${server.url}`)
  if (!process.argv.includes('--no-open')) openInBrowser(server.url)
  const stop = () => void server.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

function openInBrowser(url: string): void {
  const hasDisplay =
    process.platform !== 'linux' || Boolean(process.env.DISPLAY ?? process.env.WAYLAND_DISPLAY)
  if (!hasDisplay) return
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true })
  child.on('error', () => console.log('(Could not open a browser; open the URL above.)'))
  child.unref()
}

void main()
