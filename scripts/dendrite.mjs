#!/usr/bin/env node
// The `dendrite` command: runs the engine's CLI (engine/host/cli.ts) through tsx.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../engine/host/cli.ts', import.meta.url))
const child = spawn(process.execPath, ['--import', 'tsx', cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
})
child.on('exit', (code) => process.exit(code ?? 1))
