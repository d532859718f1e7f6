"""End-to-end latency of Restore in the embedded host: DCMTK storescu C-STOREs one NM scan into Ingest; the clock
stops when Restore's API lists the derived (restored) instance for that study, i.e. it is stored and committed.
Files are sent one at a time (each scan alone in the pipeline). Prints one JSON object.

    /usr/bin/python3 tests/Benchmarks/restore/e2e.py HTTP_URL DICOM_PORT SCAN_DIR
"""
import glob
import json
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pydicom


def stats(values):
    s = sorted(values)
    at = lambda q: s[min(len(s) - 1, int(np.ceil(q * len(s))) - 1)]
    return {"p50": at(0.5), "p95": at(0.95), "min": s[0], "max": s[-1], "mean": float(np.mean(s))}


def derived(url, study):
    with urllib.request.urlopen(f"{url}/api/restore/derived?studyInstanceUid={study}", timeout=10) as response:
        return json.load(response)


def main():
    url, port, folder = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    stored, restored, versions = [], [], set()
    for path in sorted(glob.glob(f"{folder}/*.dcm")):
        study = pydicom.dcmread(path, stop_before_pixels=True).StudyInstanceUID
        start = time.perf_counter()
        subprocess.run(["storescu", "-aet", "BENCH", "-aec", "HALFLIFE", "127.0.0.1", port, path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stored.append((time.perf_counter() - start) * 1000)
        deadline = start + 120
        while True:
            rows = derived(url, study)
            if rows:
                restored.append((time.perf_counter() - start) * 1000)
                versions.add(f"{rows[0]['modelName']} {rows[0]['modelVersion']}")
                break
            if time.perf_counter() > deadline:
                raise SystemExit(f"no restored instance for {path} after 120 s")
            time.sleep(0.01)
    print(json.dumps({"scans": len(restored), "c_store_ms": stats(stored), "restored_ms": stats(restored), "models": sorted(versions)}))


if __name__ == "__main__":
    main()
