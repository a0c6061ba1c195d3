// What the output views draw, computed from the probes: the decision surface with its scale and
// the coloured data points for 2-D inputs, and the fit with its contributions for 1-D inputs.
import type { ColorScale } from '../charts/color-scale'
import { divergingScale, maxAbs } from '../charts/color-scale'
import type { FitView } from '../charts/fit-plot'
import type { PlanePoints, PlaneView } from '../charts/plane-plot'
import { classValue, decisionValues } from '../training/plane-view'
import type { ProbeResults } from '../training/probe-cycle'
import type { Task } from '../training/runs'

export function planePoints(probes: ProbeResults): PlanePoints[] {
  const p = probes.points
  if (!p) return []
  return [p.train, p.test].map((set, i) => ({
    x: set.x.data,
    width: set.x.shape.slice(1).reduce((a, b) => a * b, 1),
    count: set.x.shape[0] ?? 0,
    labels: set.labels,
    test: i === 1,
  }))
}

export function pointColorFor(
  task: Task,
  classes: number,
  chosen: number,
  scale: ColorScale,
): (label: number) => string {
  if (task === 'regression') return (label) => scale.css(label)
  if (classes > 2) return (label) => scale.css(label === chosen ? scale.max : scale.min)
  return (label) => scale.css(classValue(label, 2) * scale.max)
}

/** The decision view, or null without a plane probe. */
export function decisionView(
  probes: ProbeResults,
  task: Task,
  classes: number,
  chosen: number,
): (PlaneView & { legend: string }) | null {
  const plane = probes.plane
  if (!plane) return null
  const values = decisionValues(plane.prediction, task, chosen)
  const points = planePoints(probes)
  let bound = 1
  if (task === 'regression') {
    bound = Math.max(maxAbs(values), ...points.map((p) => (p.labels ? maxAbs(p.labels) : 0)))
  }
  const scale = divergingScale(bound)
  const legend =
    task === 'regression'
      ? 'predicted value'
      : classes > 2
        ? `2·p(class ${chosen}) − 1`
        : 'p(class 1) − p(class 0)'
  return {
    grid: { values, rows: plane.resolution, cols: plane.resolution },
    scale,
    xRange: plane.xRange,
    yRange: plane.yRange,
    features: plane.features,
    points,
    pointColor: pointColorFor(task, classes, chosen, scale),
    legend,
  }
}

export function fitView(probes: ProbeResults, showUnits: boolean): FitView | null {
  const c = probes.contributions
  if (!c || 'error' in c) return null
  const points: { x: number; y: number; test: boolean }[] = []
  for (const set of planePoints(probes)) {
    if (!set.labels) continue
    for (let i = 0; i < set.count; i++) {
      points.push({ x: set.x[i] ?? 0, y: set.labels[i] ?? 0, test: set.test })
    }
  }
  const bound = Math.max(...c.contributions.map((row) => maxAbs(row)), 1e-6)
  return {
    x: c.x,
    fit: c.fit,
    contributions: c.contributions,
    points,
    scale: divergingScale(bound),
    showUnits,
  }
}
