#!/usr/bin/python3
"""Dumps what pydicom reads from DICOM files as JSON, as an independent oracle for Halflife.Dicom.

Usage: pydicom_dump.py FILE...   -> {"FILE": {"ok": true, "meta": [...], "dataset": [...]} | {"ok": false, "error": "..."}}

Element: {"tag": "GGGGEEEE", "vr": "XX", "value": V} where V is
  - a list of item element lists for SQ,
  - {"len": n, "sha256": h} for byte-stream VRs (OB, OW, OF, OD, OL, OV, UN) and encapsulated pixel data,
    with multi-byte words brought to little endian so that both byte orders compare equal (except 8-bit
    pixel samples, which pydicom and we keep in file order),
  - a list of numbers for binary numeric VRs (floats as their IEEE-754 bit patterns, so equality is exact),
  - a list of strings for text VRs.
"""
import hashlib
import json
import struct
import sys
import warnings

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import pydicom  # noqa: E402
from pydicom.multival import MultiValue  # noqa: E402

warnings.simplefilter("ignore")

BYTE_VRS = {"OB", "OW", "OF", "OD", "OL", "OV", "UN", "OB or OW", "US or OW", "US or SS or OW"}
WORD = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}
INTS = {"US", "SS", "UL", "SL", "UV", "SV", "AT"}
FLOATS = {"FL", "FD"}


def as_list(v):
    if v is None:
        return []
    if isinstance(v, (MultiValue, list, tuple)):
        return list(v)
    if isinstance(v, str) and v == "":
        return []
    return [v]


def float_bits(x):
    return struct.unpack("<q", struct.pack("<d", float(x)))[0]


def swap(data, width):
    if width <= 1:
        return data
    n = len(data) - len(data) % width
    out = bytearray(data)
    for i in range(0, n, width):
        out[i:i + width] = data[i:i + width][::-1]
    return bytes(out)


def element(elem, little_endian, ds):
    vr = elem.VR
    d = {"tag": f"{elem.tag:08X}", "vr": vr}
    if vr == "SQ":
        d["value"] = [dataset(item, little_endian) for item in elem.value]
    elif vr in BYTE_VRS or isinstance(elem.value, (bytes, bytearray)):
        raw = elem.value or b""
        if not isinstance(raw, (bytes, bytearray)):
            raw = bytes(raw)
        # 8-bit samples in OW stay in file order (see DicomDatasetReader.HoldsByteSamples).
        byte_samples = elem.tag == 0x7FE00010 and ds.get("BitsAllocated", 16) <= 8
        if not little_endian and not elem.is_undefined_length and not byte_samples:
            raw = swap(raw, WORD.get(vr, 1))
        d["value"] = {"len": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}
    elif vr in INTS:
        d["value"] = [int(x) for x in as_list(elem.value)]
    elif vr in FLOATS:
        d["value"] = [float_bits(x) for x in as_list(elem.value)]
    else:
        values = [str(x) for x in as_list(elem.value)]
        # An empty PN comes back as PersonName(''); an empty value has no values.
        d["value"] = [] if values == [""] else values
    return d


def dataset(ds, little_endian):
    return [element(ds[tag], little_endian, ds) for tag in sorted(ds.keys())]


def dump(path):
    try:
        ds = pydicom.dcmread(path, force=True)
        le = ds.is_little_endian if ds.is_little_endian is not None else True
        meta = dataset(ds.file_meta, True) if getattr(ds, "file_meta", None) is not None else []
        body = dataset(ds, le)
        if not body and not meta:
            return {"ok": False, "error": "pydicom found no elements"}
        return {"ok": True, "meta": meta, "dataset": body}
    except Exception as e:  # noqa: BLE001 - any failure means pydicom rejects the file
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


if __name__ == "__main__":
    json.dump({p: dump(p) for p in sys.argv[1:]}, sys.stdout)
