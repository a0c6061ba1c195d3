#!/usr/bin/python3
"""Per-layer goldens from PyTorch: engine/test/goldens/layers/<case>.json.

Regenerate (Debian's PyTorch; the python3 first on PATH may lack torch):

    /usr/bin/python3 scripts/goldens/make_layer_goldens.py

Every case is a tiny graph (Input -> layer, sometimes a Dense branch or an MSE loss around it)
with random inputs and parameters drawn from a seed derived from the case name, so adding a
case leaves the other files unchanged and regenerating gives identical bytes. PyTorch computes
in float64: the forward outputs (named as our lowered program names them: 'node:layer',
'loss', 'next:layer.running_mean') and the gradients of one scalar objective (the loss, or
sum(y * r) for a fixed random r) with respect to the data input and every parameter.
engine/test/layers/layers.test.ts reads these files; it fails when a registry layer has none.
"""

import os
import sys
import zlib

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_json import dump_json  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "engine", "test", "goldens", "layers")
DIGITS = 6  # inputs and parameters are rounded first, so both sides start from the same numbers

torch.set_default_dtype(torch.float64)


class Case:
    """One golden: a graph, its data and parameters, and what PyTorch computes from them."""

    def __init__(self, name, layer, batch, training=False):
        self.name = name
        self.layer = layer
        self.batch = batch
        self.training = training
        self.rng = np.random.RandomState(zlib.crc32(name.encode()))
        self.nodes = []
        self.edges = None
        self.inputs = {}
        self.params = {}
        self.state = {}
        self.no_grad = set()

    def rand(self, shape, lo=-1.0, hi=1.0, avoid=()):
        """Uniform values rounded to DIGITS, kept 0.02 away from the kinks in `avoid`."""
        v = self.rng.uniform(lo, hi, size=shape)
        for kink in avoid:
            near = np.abs(v - kink) < 0.02
            v[near] = kink + np.where(v[near] >= kink, 0.05, -0.05)
        return np.round(v, DIGITS)

    def data(self, shape, **kw):
        """The Input node's data, [batch, *shape]; also adds the Input node."""
        self.nodes.append(["input", "input", {"shape": ", ".join(str(d) for d in shape)}])
        return self.tensor("x", self.inputs, self.rand([self.batch, *shape], **kw))

    def param(self, name, values):
        return self.tensor(name, self.params, values)

    def tensor(self, name, into, values):
        into[name] = np.asarray(values, dtype=np.float64)
        return torch.tensor(into[name], requires_grad=name not in self.no_grad)


def finish(case, tensors, outputs, loss=None, probe="node:layer"):
    """Backward pass and the JSON document of a case.

    tensors: name -> leaf tensor; outputs: program output name -> tensor. Without `loss`, the
    objective is sum(outputs[probe] * r) for a fixed random r.
    """
    doc = {
        "case": case.name,
        "layer": case.layer,
        "batch": case.batch,
        "training": case.training,
        "nodes": case.nodes,
    }
    if case.edges is not None:
        doc["edges"] = case.edges
    if loss is None:
        y = outputs[probe]
        r = case.rand(list(y.shape))
        objective = (y * torch.tensor(r)).sum()
        doc["objective"] = {"output": probe, "r": pack(r)}
    else:
        objective = loss
        doc["objective"] = {"output": "loss"}
    wrt = {k: t for k, t in tensors.items() if t.requires_grad}
    grads = torch.autograd.grad(objective, list(wrt.values()), allow_unused=True)
    doc["inputs"] = {k: pack(v) for k, v in case.inputs.items()}
    doc["params"] = {k: pack(v) for k, v in case.params.items()}
    if case.state:
        doc["state"] = {k: pack(v) for k, v in case.state.items()}
    doc["expected"] = {k: pack(v.detach().numpy()) for k, v in outputs.items()}
    doc["grads"] = {
        k: pack(np.zeros(tuple(wrt[k].shape)) if g is None else g.numpy())
        for k, g in zip(wrt, grads)
    }
    return doc


def pack(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


# ── cases ───────────────────────────────────────────────────────────────────────────────────


def dense_cases():
    for name, shape, units, bias in [
        ("dense-bias", [5], 4, True),
        ("dense-no-bias-3d", [2, 5], 3, False),
    ]:
        c = Case(name, "dense", batch=3)
        x = c.data(shape)
        c.nodes.append(["layer", "dense", {"units": units, "bias": bias}])
        w = c.param("layer.weight", c.rand([units, shape[-1]]))
        b = c.param("layer.bias", c.rand([units])) if bias else None
        y = F.linear(x, w, b)
        yield c, finish(c, {"x": x, "layer.weight": w, **({"layer.bias": b} if bias else {})},
                        {"node:layer": y})


def hard_sigmoid(x):
    """F.hardsigmoid, but exact in float64: PyTorch 1.13's backward multiplies by a float32 1/6
    (relative error 7e-9 in float64 gradients)."""
    y = torch.clamp(x / 6 + 0.5, 0, 1)
    assert torch.allclose(y, F.hardsigmoid(x), rtol=0, atol=1e-12)
    return y


ACTIVATIONS = [
    # name, layer type, attrs, torch function, kinks to keep inputs away from
    ("relu", "relu", {}, F.relu, [0]),
    ("leaky-relu", "leaky-relu", {"alpha": 0.2}, lambda x: F.leaky_relu(x, 0.2), [0]),
    ("elu", "elu", {"alpha": 0.7}, lambda x: F.elu(x, 0.7), [0]),
    ("selu", "selu", {}, F.selu, [0]),
    ("gelu-erf", "gelu", {"approximate": "erf"}, F.gelu, []),
    ("gelu-tanh", "gelu", {"approximate": "tanh"}, lambda x: F.gelu(x, approximate="tanh"), []),
    ("silu", "silu", {}, F.silu, []),
    ("mish", "mish", {}, F.mish, []),
    ("sigmoid", "sigmoid", {}, torch.sigmoid, []),
    ("tanh", "tanh", {}, torch.tanh, []),
    ("softplus", "softplus", {}, F.softplus, []),
    ("softsign", "softsign", {}, F.softsign, [0]),
    ("hard-sigmoid", "hard-sigmoid", {}, hard_sigmoid, [-3, 3]),
    ("sine", "sine", {}, torch.sin, []),
    ("identity", "identity", {}, lambda x: x, []),
    ("softmax", "softmax", {}, lambda x: F.softmax(x, dim=-1), []),
]
# Large inputs where a naive formula overflows or loses the small side.
EXTREME = {"elu", "selu", "silu", "mish", "sigmoid", "softplus", "softmax", "gelu-erf"}


def activation_cases():
    for name, layer, attrs, fn, kinks in ACTIVATIONS:
        for extreme in [False, True] if name in EXTREME else [False]:
            c = Case(name + ("-extreme" if extreme else ""), layer, batch=3)
            span = 40.0 if extreme else 5.0
            x = c.data([2, 4], lo=-span, hi=span, avoid=kinks)
            c.nodes.append(["layer", layer, attrs])
            yield c, finish(c, {"x": x}, {"node:layer": fn(x)})


def structure_cases():
    # Add and Concat join the input with a Dense branch, so the two operands differ.
    for name, layer, attrs, shape, units, join in [
        ("add", "add", {}, [3, 4], 4, lambda a, b: a + b),
        ("concat-last-axis", "concat", {"axis": -1}, [2, 3], 2, lambda a, b: torch.cat([a, b], -1)),
        ("concat-axis-0", "concat", {"axis": 0}, [2, 3], 3, lambda a, b: torch.cat([a, b], 1)),
    ]:
        c = Case(name, layer, batch=2)
        x = c.data(shape)
        c.nodes += [["branch", "dense", {"units": units}], ["layer", layer, attrs]]
        c.edges = [["input", "y", "branch", "x"], ["input", "y", "layer", "a"],
                   ["branch", "y", "layer", "b"]]
        w = c.param("branch.weight", c.rand([units, shape[-1]]))
        b = c.param("branch.bias", c.rand([units]))
        y = join(x, F.linear(x, w, b))
        yield c, finish(c, {"x": x, "branch.weight": w, "branch.bias": b}, {"node:layer": y})

    c = Case("reshape", "reshape", batch=3)
    x = c.data([2, 6])
    c.nodes.append(["layer", "reshape", {"shape": "3, 2, 2"}])
    yield c, finish(c, {"x": x}, {"node:layer": x.reshape(3, 3, 2, 2)})

    c = Case("flatten", "flatten", batch=2)
    x = c.data([2, 3, 2])
    c.nodes.append(["layer", "flatten", {}])
    yield c, finish(c, {"x": x}, {"node:layer": x.reshape(2, -1)})

    # Training-mode dropout is random: layers.test.ts checks its statistics instead.
    c = Case("dropout-inference", "dropout", batch=3)
    x = c.data([5])
    c.nodes.append(["layer", "dropout", {"p": 0.4}])
    yield c, finish(c, {"x": x}, {"node:layer": F.dropout(x, 0.4, training=False)})


def layer_norm_cases():
    for name, affine in [("layer-norm-affine", True), ("layer-norm-plain", False)]:
        c = Case(name, "layer-norm", batch=3)
        x = c.data([2, 6], lo=-2, hi=3)
        c.nodes.append(["layer", "layer-norm", {"affine": affine, "eps": 1e-5}])
        w = c.param("layer.weight", c.rand([6], 0.5, 1.5)) if affine else None
        b = c.param("layer.bias", c.rand([6])) if affine else None
        y = F.layer_norm(x, (6,), w, b, 1e-5)
        leaves = {"x": x, **({"layer.weight": w, "layer.bias": b} if affine else {})}
        yield c, finish(c, leaves, {"node:layer": y})


def batch_norm_cases():
    for kind, shape in [("vector", [4]), ("image", [3, 2, 3])]:
        for training in [True, False]:
            name = f"batch-norm-{kind}-{'train' if training else 'eval'}"
            c = Case(name, "batch-norm", batch=4 if kind == "vector" else 2, training=training)
            x = c.data(shape, lo=-1, hi=3)
            ch = shape[0]
            momentum = 0.3
            c.nodes.append(["layer", "batch-norm", {"momentum": momentum, "eps": 1e-5}])
            w = c.param("layer.weight", c.rand([ch], 0.5, 1.5))
            b = c.param("layer.bias", c.rand([ch]))
            c.state["layer.running_mean"] = c.rand([ch])
            c.state["layer.running_var"] = c.rand([ch], 0.5, 2)
            rm = torch.tensor(c.state["layer.running_mean"])
            rv = torch.tensor(c.state["layer.running_var"])
            y = F.batch_norm(x, rm, rv, w, b, training=training, momentum=momentum, eps=1e-5)
            outputs = {"node:layer": y}
            loss = None
            if training:
                # Training programs need a loss; MSE against a random target checks it too.
                c.nodes.append(["loss", "mse", {}])
                t = c.tensor("target", c.inputs, c.rand([c.batch, *shape]))
                loss = F.mse_loss(y, t)
                outputs["loss"] = loss
                outputs["next:layer.running_mean"] = rm
                outputs["next:layer.running_var"] = rv
            doc = finish(c, {"x": x, "layer.weight": w, "layer.bias": b}, outputs)
            yield c, doc


def conv_cases():
    # name, [C, H, W], filters, kernel, stride, padding, batch
    for name, shape, f, k, s, p, n in [
        ("conv2d-k3", [2, 5, 6], 3, 3, 1, 0, 2),
        ("conv2d-k3-s2-p1", [3, 7, 6], 2, 3, 2, 1, 2),
        ("conv2d-k2-s3-p2", [1, 5, 8], 2, 2, 3, 2, 3),
        ("conv2d-k5-p2", [2, 5, 5], 2, 5, 1, 2, 1),
        ("conv2d-k1", [3, 3, 4], 4, 1, 1, 0, 2),
    ]:
        c = Case(name, "conv2d", batch=n)
        x = c.data(shape)
        c.nodes.append(["layer", "conv2d", {"filters": f, "kernel": k, "stride": s, "padding": p}])
        w = c.param("layer.weight", c.rand([f, shape[0], k, k]))
        b = c.param("layer.bias", c.rand([f]))
        y = F.conv2d(x, w, b, stride=s, padding=p)
        yield c, finish(c, {"x": x, "layer.weight": w, "layer.bias": b}, {"node:layer": y})


def pool_cases():
    # PyTorch's avg_pool2d counts padded zeros (count_include_pad=True), as our kernel does.
    for layer, fn in [("max-pool2d", F.max_pool2d), ("avg-pool2d", F.avg_pool2d)]:
        for k, s, p, shape in [(2, 2, 0, [2, 5, 6]), (3, 2, 1, [2, 7, 7]), (2, 1, 1, [1, 4, 5])]:
            c = Case(f"{layer}-k{k}-s{s}-p{p}", layer, batch=2)
            x = c.data(shape)
            c.nodes.append(["layer", layer, {"kernel": k, "stride": s, "padding": p}])
            yield c, finish(c, {"x": x}, {"node:layer": fn(x, k, s, p)})


def embedding_cases():
    c = Case("embedding", "embedding", batch=3)
    c.no_grad.add("x")
    c.nodes.append(["input", "input", {"shape": "4"}])
    ids = c.tensor("x", c.inputs, c.rng.randint(0, 7, size=[3, 4]).astype(np.float64))
    c.nodes.append(["layer", "embedding", {"vocab": 7, "dim": 3}])
    w = c.param("layer.weight", c.rand([7, 3]))
    y = F.embedding(ids.long(), w)
    yield c, finish(c, {"x": ids, "layer.weight": w}, {"node:layer": y})


def loss_cases():
    def values(name, layer, attrs, shape, fn, target=None):
        c = Case(name, layer, batch=3)
        x = c.data(shape, lo=-2, hi=2)
        c.nodes.append(["loss", layer, attrs])
        c.no_grad.add("target")
        t = c.tensor("target", c.inputs, target(c) if target else c.rand([3, *shape], -2, 2))
        loss = fn(x, t)
        return c, finish(c, {"x": x, "target": t}, {"loss": loss}, loss=loss)

    yield values("mse", "mse", {}, [4], F.mse_loss)
    yield values("mae", "mae", {}, [2, 3], F.l1_loss)
    yield values("huber", "huber", {}, [5], lambda x, t: F.huber_loss(x, t, delta=1.0))
    yield values("huber-delta", "huber", {"delta": 0.4}, [5],
                 lambda x, t: F.huber_loss(x, t, delta=0.4))
    yield values("bce-with-logits", "bce-with-logits", {}, [4],
                 F.binary_cross_entropy_with_logits,
                 target=lambda c: np.concatenate([c.rand([2, 4], 0, 1),
                                                  c.rng.randint(0, 2, [1, 4]).astype(float)]))
    for name, shape in [("softmax-cross-entropy", [5]), ("softmax-cross-entropy-2d", [2, 4])]:
        c = Case(name, "softmax-cross-entropy", batch=4)
        x = c.data(shape, lo=-3, hi=3)
        c.nodes.append(["loss", "softmax-cross-entropy", {}])
        c.no_grad.add("target")
        labels = c.rng.randint(0, shape[-1], size=[4, *shape[:-1]]).astype(np.float64)
        t = c.tensor("target", c.inputs, labels)
        loss = F.cross_entropy(x.reshape(-1, shape[-1]), t.long().reshape(-1))
        yield c, finish(c, {"x": x}, {"loss": loss}, loss=loss)


GROUPS = [dense_cases, activation_cases, structure_cases, layer_norm_cases, batch_norm_cases,
          conv_cases, pool_cases, embedding_cases, loss_cases]


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".json"):
            os.remove(os.path.join(OUT, old))
    count = 0
    for group in GROUPS:
        for case, doc in group():
            with open(os.path.join(OUT, case.name + ".json"), "w") as f:
                f.write(dump_json(doc))
            count += 1
    print(f"wrote {count} goldens to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
