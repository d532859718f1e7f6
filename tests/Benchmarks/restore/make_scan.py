"""Writes whole-body NM bone scans for the benchmark: 2 frames (anterior, posterior), 1024 rows x 256 columns,
16-bit counts, from the project's simulator (2 h view at 50 % of the 4 h count level). Every file gets its own
Study, Series and SOP Instance UIDs, so each one is a new scan for the receiving system.

    /usr/bin/python3 tests/Benchmarks/restore/make_scan.py OUT_DIR COUNT [SEED]
"""
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

sys.path.insert(0, __file__.rsplit("/tests/", 1)[0])
from training.bonescan import simulate_study  # noqa: E402

NM_STORAGE = "1.2.840.10008.5.1.4.1.1.20"


def write(path, frames, index):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = NM_STORAGE
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(path, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = NM_STORAGE
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.Modality = "NM"
    ds.PatientID = f"BENCH{index:04d}"
    ds.PatientName = "Benchmark^Bone"
    ds.StudyDate = "20261121"
    ds.SeriesDescription = "WB bone 2h (simulated)"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "WHOLE BODY", "EMISSION"]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.NumberOfFrames = len(frames)
    ds.Rows, ds.Columns = frames[0].shape
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.PixelData = np.stack(frames).astype("<u2").tobytes()
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(path, write_like_original=False)


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    os.makedirs(out, exist_ok=True)
    study = simulate_study(seed)
    rng = np.random.default_rng(seed)
    frames = [np.clip(study.counts(view, "2h", 0.5, rng), 0, 65535) for view in ("anterior", "posterior")]
    for i in range(count):
        write(os.path.join(out, f"scan{i:04d}.dcm"), frames, i)


if __name__ == "__main__":
    main()
