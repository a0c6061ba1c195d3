// Defaults the settings form fills in when a person switches optimizer or schedule, taken from
// the engine's own schemas so the form and the engine never disagree.
import type { TrainSettings } from '../../engine/train/settings'
import { OptimizerSchema, ScheduleSchema } from '../../engine/train/settings'

export type Optimizer = TrainSettings['optimizer']
export type Schedule = TrainSettings['schedule']

export const OPTIMIZERS: readonly { type: Optimizer['type']; title: string }[] = [
  { type: 'sgd', title: 'SGD' },
  { type: 'momentum', title: 'SGD with momentum' },
  { type: 'rmsprop', title: 'RMSprop' },
  { type: 'adam', title: 'Adam' },
  { type: 'adamw', title: 'AdamW' },
]

export const SCHEDULES: readonly { type: Schedule['type']; title: string }[] = [
  { type: 'constant', title: 'Constant' },
  { type: 'step', title: 'Step decay' },
  { type: 'exponential', title: 'Exponential decay' },
  { type: 'cosine', title: 'Cosine' },
  { type: 'warmup', title: 'Warm-up, then constant' },
]

export function defaultOptimizer(type: Optimizer['type']): Optimizer {
  return OptimizerSchema.parse({ type })
}

export function defaultSchedule(type: Schedule['type'], totalSteps: number): Schedule {
  const steps = Math.max(1, Math.round(totalSteps))
  const byType: Record<Schedule['type'], unknown> = {
    constant: { type: 'constant' },
    step: { type: 'step', every: Math.max(1, Math.round(steps / 4)), gamma: 0.5 },
    exponential: { type: 'exponential', gamma: 0.999 },
    cosine: { type: 'cosine', steps },
    warmup: {
      type: 'warmup',
      steps: Math.max(1, Math.round(steps / 20)),
      then: { type: 'constant' },
    },
  }
  return ScheduleSchema.parse(byType[type])
}

/** The numeric settings of an optimizer, for its fields: [key, label, min, max]. */
export function optimizerFields(o: Optimizer): [string, string, number, number][] {
  switch (o.type) {
    case 'momentum':
      return [['momentum', 'Momentum', 0, 0.9999]]
    case 'rmsprop':
      return [
        ['alpha', 'Decay (α)', 0, 0.9999],
        ['eps', 'Epsilon', 1e-12, 1],
      ]
    case 'adam':
      return [
        ['beta1', 'β₁', 0, 0.9999],
        ['beta2', 'β₂', 0, 0.99999],
        ['eps', 'Epsilon', 1e-12, 1],
      ]
    case 'adamw':
      return [
        ['beta1', 'β₁', 0, 0.9999],
        ['beta2', 'β₂', 0, 0.99999],
        ['eps', 'Epsilon', 1e-12, 1],
        ['weightDecay', 'Weight decay', 0, 10],
      ]
    default:
      return []
  }
}

/** The numeric settings of a schedule: [key, label, min, max, integer]. */
export function scheduleFields(s: Schedule): [string, string, number, number, boolean][] {
  switch (s.type) {
    case 'step':
      return [
        ['every', 'Every (steps)', 1, 1e9, true],
        ['gamma', 'Factor', 1e-6, 10, false],
      ]
    case 'exponential':
      return [['gamma', 'Factor per step', 1e-6, 10, false]]
    case 'cosine':
      return [
        ['steps', 'Steps', 1, 1e9, true],
        ['min', 'Minimum rate', 0, 100, false],
      ]
    case 'warmup':
      return [['steps', 'Warm-up steps', 1, 1e9, true]]
    default:
      return []
  }
}
