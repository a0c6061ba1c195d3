# Real clients for the studio's exports, run by engine/io/real-clients.test.ts with Debian's
# /usr/bin/python3: PyTorch imports each generated module, loads its safetensors file and
# predicts; onnx.checker checks each ONNX file. One JSON line on stdout says what ran or why not.
import importlib.util
import json
import sys


def run_torch(cases):
    try:
        import torch
    except Exception as err:  # noqa: BLE001 - any import failure means "skip, and say why"
        return {"skipped": f"python3 cannot import torch: {err}"}
    for case in cases:
        spec = importlib.util.spec_from_file_location(case["name"], case["module"])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        model = module.load_model(case["weights"])
        with open(case["inputs"], "rb") as f:
            x = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
        x = x.reshape(case["shape"])
        with torch.no_grad():
            y = model(x)
        with open(case["torch_out"], "wb") as f:
            f.write(y.contiguous().numpy().astype("<f4").tobytes())
    return {"ok": True, "version": torch.__version__}


def run_checker(cases):
    try:
        import onnx
        import onnx.checker
    except Exception as err:  # noqa: BLE001
        return {"skipped": f"python3 cannot import onnx: {err}"}
    problems = {}
    for case in cases:
        try:
            onnx.checker.check_model(onnx.load(case["onnx"]), full_check=True)
        except Exception as err:  # noqa: BLE001 - report the checker's words per file
            problems[case["name"]] = str(err)
    return {"ok": not problems, "version": onnx.__version__, "problems": problems}


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    print(json.dumps({"torch": run_torch(cases), "onnx": run_checker(cases)}))


if __name__ == "__main__":
    main()
