// Public surface of the compiler passes: compile() and the passes it runs, usable alone.

export type { CompileOptions, CompiledPlan, PassText, PlanStats } from './compile'
export { compile, printed } from './compile'
export { cse } from './cse'
export { dce } from './dce'
export { fold } from './fold'
export type { FusionGroup } from './fuse'
export { groupElementwise, printGroups } from './fuse'
export type { MemoryPlan } from './memory'
export { bestFit, lastUses, planMemory, printMemory } from './memory'
