// The Deep Zoom descriptor, read here instead of by OpenSeadragon so that the request carries the login token.

export interface DeepZoomImage {
  tileSize: number;
  overlap: number;
  format: string;
  width: number;
  height: number;
}

export function parseDzi(xml: string): DeepZoomImage {
  const image = /<Image\b([^>]*)>/i.exec(xml);
  const size = /<Size\b([^>]*)\/?>/i.exec(xml);
  if (!image || !size) throw new Error("not a Deep Zoom descriptor");
  const attr = (attrs: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, "i").exec(attrs)?.[1];
  const number = (attrs: string, name: string) => {
    const n = Number(attr(attrs, name));
    if (!Number.isFinite(n) || n < 0) throw new Error(`Deep Zoom descriptor: bad ${name}`);
    return n;
  };
  return {
    tileSize: number(image[1], "TileSize"),
    overlap: number(image[1], "Overlap"),
    format: attr(image[1], "Format") ?? "jpeg",
    width: number(size[1], "Width"),
    height: number(size[1], "Height"),
  };
}

/** OpenSeadragon's inline DZI tile source; tiles live beside the descriptor (X.dzi -> X_files/). */
export function tileSourceFor(dziUrl: string, image: DeepZoomImage): object {
  return {
    Image: {
      xmlns: "http://schemas.microsoft.com/deepzoom/2008",
      Url: dziUrl.replace(/\.dzi$/, "_files/"),
      Format: image.format,
      Overlap: String(image.overlap),
      TileSize: String(image.tileSize),
      Size: { Width: String(image.width), Height: String(image.height) },
    },
  };
}
