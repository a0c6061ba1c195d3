// Public surface of the tensor IR: op table, Program data, builder, verifier, printer and the
// Executable contract every backend implements.

export type {
  AttrKind,
  AttrSpec,
  DType,
  MatmulAttrs,
  OpAttrs,
  OpDef,
  OpKind,
  OpName,
  WindowAttrs,
} from './ops'
export { OPS, OP_NAMES, isOpName, opDef } from './ops'
export type { Eqn, InputDecl, InputKind, OutputDecl, Program, ValueInfo } from './program'
export {
  consumers,
  inputNamed,
  nextFreeId,
  outputNamed,
  updateTargets,
  useCounts,
  valueTable,
} from './program'
export type { Shape, Windows } from './shape'
export {
  ShapeError,
  broadcastShapes,
  broadcastStrides,
  fmtShape,
  numel,
  reducedShape,
  sameShape,
  strides,
  nchw,
  pair,
  windowOut,
  windowsOver,
} from './shape'
export type { ConvOptions, Operand, PoolOptions, Value } from './builder'
export { IrBuildError, ProgramBuilder } from './builder'
export type { VerifyError } from './verify'
export { IrVerifyError, assertValid, verify } from './verify'
export type { PrintOptions } from './print'
export { fmtType, printEqn, printProgram, valueNamer } from './print'
export type { Backend, Executable, Feeds, TensorInfo } from './executable'
