// Finds a Chromium for browser tests: CHROMIUM_PATH, then Debian's /usr/bin/chromium, then one
// Playwright installed. Never downloads one; as root with apt it installs Debian's package.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

async function playwrightChromium() {
  try {
    const { chromium } = await import('@playwright/test')
    const path = chromium.executablePath()
    return path && existsSync(path) ? path : null
  } catch {
    return null
  }
}

export async function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist.`)
  }
  return CANDIDATES.find((p) => existsSync(p)) ?? (await playwrightChromium())
}

function canApt() {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')
}

/** A Chromium path, installing Debian's chromium when we may; otherwise explains and throws. */
export async function ensureChromium() {
  const found = await findChromium()
  if (found) return found
  if (canApt()) {
    console.log("No Chromium found; installing Debian's chromium package (apt-get)…")
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env })
    const installed = await findChromium()
    if (installed) return installed
  }
  throw new Error(
    'Browser tests need Chromium and none was found. Install it (Debian/Ubuntu: ' +
      '"sudo apt-get install chromium"; macOS: install Google Chrome) or set CHROMIUM_PATH ' +
      'to a Chromium or Chrome executable.',
  )
}
