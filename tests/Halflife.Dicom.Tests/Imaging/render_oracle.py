"""Independent references for the rendering tests: Pillow decodes a PNG, pydicom + numpy window a frame.

  render_oracle.py png <file>                      -> "<mode> <width> <height>\n<hex of the pixels>"
  render_oracle.py window <dicom> <frame> <c> <w>  -> hex of the 8-bit windowed frame (PS3.3 C.11.2.1.2.1)
"""
import sys


def png(path):
    from PIL import Image
    with Image.open(path) as image:
        image.load()
        print(image.mode, image.size[0], image.size[1])
        print(image.tobytes().hex())


def window(path, frame, center, width):
    import numpy as np
    import pydicom
    ds = pydicom.dcmread(path, force=True)
    if "TransferSyntaxUID" not in ds.file_meta:
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
    pixels = ds.pixel_array
    if int(getattr(ds, "NumberOfFrames", 1) or 1) > 1:
        pixels = pixels[frame]
    values = pixels.astype(np.float64) * float(getattr(ds, "RescaleSlope", 1) or 1) + float(getattr(ds, "RescaleIntercept", 0) or 0)
    lower = center - 0.5 - (width - 1) / 2
    upper = center - 0.5 + (width - 1) / 2
    out = np.clip(np.round(((values - (center - 0.5)) / (width - 1) + 0.5) * 255), 0, 255)
    out[values <= lower] = 0
    out[values > upper] = 255
    if ds.PhotometricInterpretation == "MONOCHROME1":
        out = 255 - out
    print(out.astype(np.uint8).tobytes().hex())


if __name__ == "__main__":
    if sys.argv[1] == "png":
        png(sys.argv[2])
    else:
        window(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
