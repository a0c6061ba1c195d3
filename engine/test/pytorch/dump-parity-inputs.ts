// Prints, as JSON, what PyTorch needs to repeat our parity runs: each net's nodes, initial
// weights and fed batches (see parity-nets.ts). scripts/goldens/make_parity_goldens.py runs it
// with `npx tsx engine/test/pytorch/dump-parity-inputs.ts`.
import { parityNets, recordRun, STEPS } from './parity-nets'

const nets = Object.fromEntries(parityNets().map((net) => [net.name, recordRun(net)]))
process.stdout.write(JSON.stringify({ steps: STEPS, nets }))
