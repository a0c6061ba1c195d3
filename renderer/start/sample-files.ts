// The sample project files, bundled by Vite at build time (no file access needed at run time).
import { loadSamples } from './samples'

const files: Record<string, unknown> = import.meta.glob('../../assets/examples/*.json', {
  eager: true,
  import: 'default',
})

export const { samples, broken: brokenSamples } = loadSamples(files)
