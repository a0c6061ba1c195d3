// A panel's claim on a kind of probe while it is on screen: registered when it mounts or its tab
// comes back (the dock keeps tabs alive), released when it hides, so hidden panels cost nothing.
import { onActivated, onBeforeUnmount, onDeactivated, onMounted } from 'vue'
import type { ProbeWant } from '../training/use-probes'
import { useTrainingStore } from '../stores/training'

export function useProbeWant(...kinds: ProbeWant[]): void {
  const training = useTrainingStore()
  let releases: (() => void)[] = []
  const hold = (): void => {
    if (releases.length === 0) releases = kinds.map((k) => training.want(k))
  }
  const release = (): void => {
    for (const r of releases) r()
    releases = []
  }
  onMounted(hold)
  onActivated(hold)
  onDeactivated(release)
  onBeforeUnmount(release)
}
