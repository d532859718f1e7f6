#!/usr/bin/python3
"""Dumps pydicom's decoded pixel arrays (numpy) as JSON: shape, dtype and the SHA-256 of the values widened
to little endian int64 in C order, so Halflife.Dicom's decoder can be compared value for value.

Usage: pydicom_pixels.py FILE... -> {"FILE": {"ok": true, "shape": [...], "dtype": "uint16", "sha256": "..."} | {"ok": false, "error": "..."}}
"""
import hashlib
import json
import sys
import warnings

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import numpy  # noqa: E402
import pydicom  # noqa: E402

warnings.simplefilter("ignore")


def dump(path):
    try:
        ds = pydicom.dcmread(path, force=True)
        if "TransferSyntaxUID" not in ds.file_meta:
            # A bare data set: tell the pixel handlers the encoding pydicom detected while reading.
            ds.file_meta.TransferSyntaxUID = (
                pydicom.uid.ImplicitVRLittleEndian if ds.is_implicit_VR
                else pydicom.uid.ExplicitVRLittleEndian if ds.is_little_endian
                else pydicom.uid.ExplicitVRBigEndian)
        arr = ds.pixel_array
        if arr.dtype.kind == "f":
            return {"ok": False, "error": "float pixel data is not compared"}
        wide = numpy.ascontiguousarray(arr.astype("<i8"))
        return {"ok": True, "shape": list(arr.shape), "dtype": str(arr.dtype),
                "sha256": hashlib.sha256(wide.tobytes()).hexdigest()}
    except Exception as e:  # noqa: BLE001 - any failure means pydicom cannot decode it
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


if __name__ == "__main__":
    json.dump({p: dump(p) for p in sys.argv[1:]}, sys.stdout)
