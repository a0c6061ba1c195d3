#!/usr/bin/python3
"""Training-parity golden from PyTorch: engine/test/pytorch/parity-golden.json.

Regenerate from the repository root (Debian's PyTorch; the python3 first on PATH may lack torch):

    /usr/bin/python3 scripts/goldens/make_parity_goldens.py

It runs `npx tsx engine/test/pytorch/dump-parity-inputs.ts`, which trains each net of
engine/test/pytorch/parity-nets.ts for a few dozen Adam steps with our session and prints the
nodes, initial weights and the exact batches the session fed. PyTorch (float64) then rebuilds
each net from those nodes and weights, takes the same Adam steps on the same batches, and the
golden keeps only its loss before each step, with checksums of the weights and batches so the
test can tell "our inputs changed, regenerate" from "our training differs". The file is then
formatted with `npx prettier`, as the rest of engine/test/ is.
"""

import json
import os
import subprocess

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "engine", "test", "pytorch", "parity-golden.json")
DUMPER = "engine/test/pytorch/dump-parity-inputs.ts"

torch.set_default_dtype(torch.float64)


def layer_fn(kind, attrs, params):
    """One chain node as a function of its input (batch axis first), PyTorch's way."""
    if kind == "dense":
        return lambda x: F.linear(x, params["weight"], params.get("bias"))
    if kind == "conv2d":
        return lambda x: F.conv2d(x, params["weight"], params["bias"], attrs["stride"],
                                  attrs["padding"])
    if kind == "max-pool2d":
        return lambda x: F.max_pool2d(x, attrs["kernel"], attrs["stride"], attrs["padding"])
    if kind == "flatten":
        return lambda x: x.reshape(x.shape[0], -1)
    if kind in ("tanh", "relu"):
        return getattr(torch, kind)
    raise ValueError(f"no PyTorch rule for layer {kind}: add one here")


def replay(net, steps):
    """PyTorch's loss before each Adam step, from our initial weights and batches."""
    nodes = net["nodes"]
    assert nodes[0][1] == "input" and nodes[-1][1] == "softmax-cross-entropy"
    shape = nodes[0][2]["shape"]
    params = {}
    for name, t in net["weights"].items():
        node, key = name.split(".", 1)
        value = torch.tensor(t["data"], dtype=torch.float64).reshape(t["shape"])
        params.setdefault(node, {})[key] = value.requires_grad_(True)
    chain = [layer_fn(kind, attrs, params.get(node, {})) for node, kind, attrs in nodes[1:-1]]
    leaves = [p for group in params.values() for p in group.values()]
    # Our session's settings: Adam with the default betas and eps, learning rate 0.01.
    opt = torch.optim.Adam(leaves, lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    losses = []
    for batch in net["batches"][:steps]:
        h = torch.tensor(batch["x"], dtype=torch.float64).reshape(-1, *shape)
        for f in chain:
            h = f(h)
        loss = F.cross_entropy(h, torch.tensor(batch["target"]).long())
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def main():
    dump = json.loads(subprocess.run(["npx", "tsx", DUMPER], cwd=ROOT, check=True,
                                     capture_output=True, text=True).stdout)
    steps = dump["steps"]
    golden = {
        "about": "PyTorch (float64) loss before each Adam step: make_parity_goldens.py",
        "steps": steps,
        "nets": {},
    }
    for name, net in dump["nets"].items():
        losses = replay(net, steps)
        worst = max(abs(a - b) for a, b in zip(losses, net["losses"]))
        print(f"{name}: our loss differs from PyTorch's by at most {worst:.2e}")
        golden["nets"][name] = {
            "checksum": net["checksum"],
            "losses": [float(format(v, ".12g")) for v in losses],
        }
    with open(OUT, "w") as f:
        f.write(json.dumps(golden, indent=2) + "\n")
    subprocess.run(["npx", "prettier", "--write", "--log-level", "warn", OUT], cwd=ROOT, check=True)
    print(f"wrote {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
