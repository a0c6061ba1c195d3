// `npm run serve`: browser mode on an existing build (npm run build first).
import { spawn } from 'node:child_process'

const child = spawn('npx', ['tsx', 'electron/server/cli.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
})
child.on('exit', (code) => process.exit(code ?? 0))
