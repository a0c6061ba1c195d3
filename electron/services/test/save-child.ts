// Run as a child process by projects.test.ts: saves two large versions of a project over the
// same path, alternating, printing "saving k", "wrote k <bytes>" after each chunk and "saved k"
// after each save, until killed.
import { writeProjectFile } from '../../../engine/io/project-file'
import { writeFileAtomic } from '../atomic-file'
import { largeProject } from './fixtures'

const [path = '', megabytes = '16'] = process.argv.slice(2)
const versions = [1, 2].map((seed) => writeProjectFile(largeProject(Number(megabytes), seed)))
for (let k = 1; ; k++) {
  process.stdout.write(`saving ${k}\n`)
  await writeFileAtomic(path, versions[k % 2] ?? new Uint8Array(), {
    backup: true,
    onProgress: (bytes) => process.stdout.write(`wrote ${k} ${bytes}\n`),
  })
  process.stdout.write(`saved ${k}\n`)
}
