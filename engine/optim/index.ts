// Public surface of the optimizers: specs, schedules, regularisation and the training step.

export type {
  HostScalars,
  Optimizer,
  OptimizerSpec,
  UpdateInputs,
  UpdateResult,
} from './optimizers'
export { createOptimizer, hostScalarFeeds, hostScalarsOf } from './optimizers'
export type { Clipped } from './regularize'
export { addPenalty, clipByGlobalNorm } from './regularize'
export type { LrSchedule } from './schedules'
export { learningRate } from './schedules'
export type { TrainStepOptions } from './train-step'
export { LR_INPUT, buildTrainStep } from './train-step'
