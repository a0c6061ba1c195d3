// Playwright projects: "browser" drives the studio in browser mode in headless Chromium with
// WebGPU (SwiftShader where there is no GPU); "desktop" drives Electron where its binary exists.
import { resolve } from 'node:path'
import { defineConfig } from '@playwright/test'

const here = import.meta.dirname

export default defineConfig({
  testDir: here,
  outputDir: resolve(here, '../test-results/e2e'),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['json', { outputFile: resolve(here, '../test-results/reports/e2e.json') }]],
  projects: [
    { name: 'browser', testMatch: /.*\.spec\.ts/, testIgnore: /desktop\.spec\.ts/ },
    { name: 'desktop', testMatch: /desktop\.spec\.ts/ },
  ],
})
