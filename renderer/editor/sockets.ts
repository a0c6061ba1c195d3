// The one socket kind on the canvas: a tensor. Shape checks happen in the engine's inspection;
// this class is where per-socket compatibility rules will go when ports get dtypes and ranks.
import { ClassicPreset } from 'rete'

export class TensorSocket extends ClassicPreset.Socket {}

export const tensorSocket = new TensorSocket('tensor')
