"""Inference latency of the same bone-restore weights in PyTorch (Debian python3-torch), for comparison with the
C# ONNX Runtime path. The network is training/restore/model.py; its weights are read from the ONNX file's
initializers (the exporter keeps the parameter names), so no .pt file is needed in a clean clone.

    /usr/bin/python3 tests/Benchmarks/restore/torch_bench.py MODEL.onnx SCAN.dcm THREADS RUNS [csharp_output.f32]
Prints one JSON object. With the C# output of the first view it also reports the largest difference.
"""
import json
import sys
import time

import numpy as np
import onnx
import pydicom
import torch
from onnx import numpy_helper

sys.path.insert(0, __file__.rsplit("/tests/", 1)[0])
from training.restore.model import RestorationUNet  # noqa: E402


def load(model_path: str) -> RestorationUNet:
    graph = onnx.load(model_path).graph
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    net = RestorationUNet()
    state = net.state_dict()
    missing = set(state) - set(weights)
    if missing:
        raise SystemExit(f"the ONNX file lacks parameters {sorted(missing)}")
    net.load_state_dict({k: weights[k] for k in state})
    return net.eval()


def stats(times):
    s = sorted(times)
    at = lambda q: s[min(len(s) - 1, int(np.ceil(q * len(s))) - 1)]
    return {"p50": at(0.5), "p95": at(0.95), "min": s[0], "mean": float(np.mean(s))}


def main():
    model, scan, threads, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    started = time.perf_counter()
    net = load(model)
    load_ms = (time.perf_counter() - started) * 1000
    frames = pydicom.dcmread(scan).pixel_array.astype(np.float64)
    views = [(f / f.mean()).astype(np.float32) for f in frames]

    def timed(batch):
        x = torch.from_numpy(np.stack(batch)[:, None])
        times = []
        with torch.inference_mode():
            for i in range(runs + 2):  # two warm-up runs
                t = time.perf_counter()
                y = net(x)
                if i >= 2:
                    times.append((time.perf_counter() - t) * 1000)
        return times, y.numpy()

    view_times, first = timed(views[:1])
    scan_times, _ = timed(views)
    result = {
        "runtime": f"PyTorch {torch.__version__}", "provider": "CPU", "threads": threads, "runs": runs,
        "shape_view": "1x1x%dx%d" % views[0].shape, "shape_scan": "%dx1x%dx%d" % ((len(views),) + views[0].shape),
        "load_ms": load_ms, "view_ms": stats(view_times), "scan_ms": stats(scan_times),
    }
    if len(sys.argv) > 5:
        other = np.fromfile(sys.argv[5], dtype="<f4").reshape(first.shape)
        result["max_abs_diff_vs_onnxruntime"] = float(np.abs(other - first).max())
        result["output_peak"] = float(np.abs(first).max())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
