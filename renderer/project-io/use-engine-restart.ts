// After main replaced a crashed or hung engine (desktop), the studio takes the new engine's
// port, loads its project into it again and puts back the last weights it holds (the last
// save, autosave or export: the checkpoint), so that training can resume from there.
import { onBeforeUnmount } from 'vue'
import type { PortLike } from '../../engine/protocol/port'
import type { Platform } from '../platform/platform'
import { useEngineStore } from '../stores/engine'
import { useTrainingStore } from '../stores/training'
import { useProjectFiles } from './files-store'
import { restoreWeights } from './studio-weights'

export function useEngineRestart(platform: Platform): void {
  const engine = useEngineStore()
  const training = useTrainingStore()
  const files = useProjectFiles()

  async function reconnect(port: PortLike): Promise<void> {
    await engine.connect(Promise.resolve(port))
    if (engine.state !== 'ready') return
    // The run the old engine was serving is gone with it; its replies will never come.
    if (training.state === 'training') training.state = 'paused'
    training.busy = null
    if (!(await training.load())) return
    const checkpoint = files.kept
    if (!checkpoint) return
    const why = await restoreWeights(checkpoint.tensors)
    if (why !== null) files.notify('warning', `The last checkpoint did not fit: ${why}`)
  }

  const stop = platform.onEnginePort((port) => void reconnect(port))
  onBeforeUnmount(stop)
}
