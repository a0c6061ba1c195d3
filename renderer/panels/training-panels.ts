// The training panels the dock shows after Problems (data, curves, heatmaps, runs, and the
// compiled program). The training panels own this list; the dock renders each entry as a tab, in
// this order.
import type { Component } from 'vue'
import ActivationsPanel from './ActivationsPanel.vue'
import DataPanel from './DataPanel.vue'
import HeatmapsPanel from './HeatmapsPanel.vue'
import ProgramPanel from './ProgramPanel.vue'
import RunsPanel from './RunsPanel.vue'
import TrainingPanel from './TrainingPanel.vue'
import './panel.css'

export interface DockPanel {
  /** Stable id: the tab's and panel's DOM ids derive from it; useDockStore().show(id) opens it. */
  id: string
  title: string
  component: Component
}

export const trainingPanels: DockPanel[] = [
  { id: 'data', title: 'Data', component: DataPanel },
  { id: 'training', title: 'Training', component: TrainingPanel },
  { id: 'heatmaps', title: 'Heatmaps', component: HeatmapsPanel },
  { id: 'activations', title: 'Activations & weights', component: ActivationsPanel },
  { id: 'runs', title: 'Runs', component: RunsPanel },
  { id: 'program', title: 'Program', component: ProgramPanel },
]
