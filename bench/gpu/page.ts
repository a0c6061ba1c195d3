// The GPU bench's page, run by bench/gpu-bench.ts in headless Chromium: offers the contenders
// (contenders.ts) to the Node side as window.dendriteBench.

import type { BenchGlobal } from './api'
import { gpuBench } from './contenders'

;(globalThis as BenchGlobal).dendriteBench = gpuBench
const status = document.getElementById('status')
if (status) status.textContent = 'ready'
