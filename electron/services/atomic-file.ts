// Atomic writes (temporary file, fsync, <name>.bak, rename) live in the engine, because the CLI
// saves projects and exports too; the desktop services reach them through here.
export type { AtomicWriteOptions } from '../../engine/io/atomic-file-node'
export {
  FileWriteError,
  removeStaleTemps,
  tempName,
  writeFileAtomic,
} from '../../engine/io/atomic-file-node'
