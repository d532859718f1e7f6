namespace Halflife.Imaging.Slides;

/// <summary>Conversions for OpenSlide's premultiplied-alpha pixels.</summary>
public static class Premultiplied
{
    /// <summary>
    /// Un-premultiplies BGRA in place. Uses the same truncating division as openslide-python
    /// (255 * c / a) so our pixels match the reference bindings exactly; fully transparent
    /// pixels stay all-zero because their colour is undefined.
    /// </summary>
    public static void ToStraightAlpha(Span<byte> bgra)
    {
        for (var i = 0; i + 3 < bgra.Length; i += 4)
        {
            int a = bgra[i + 3];
            if (a is 0 or 255)
            {
                continue;
            }

            bgra[i] = (byte)Math.Min(255, 255 * bgra[i] / a);
            bgra[i + 1] = (byte)Math.Min(255, 255 * bgra[i + 1] / a);
            bgra[i + 2] = (byte)Math.Min(255, 255 * bgra[i + 2] / a);
        }
    }

    /// <summary>
    /// Composites premultiplied BGRA over an opaque background in place, leaving opaque BGRX.
    /// Working from premultiplied data avoids the precision lost by un-premultiplying first:
    /// out = c + bg * (255 - a) / 255.
    /// </summary>
    public static void OverBackground(Span<byte> bgra, byte r, byte g, byte b)
    {
        for (var i = 0; i + 3 < bgra.Length; i += 4)
        {
            int a = bgra[i + 3];
            if (a == 255)
            {
                continue;
            }

            var inverse = 255 - a;
            bgra[i] = (byte)Math.Min(255, bgra[i] + ((b * inverse) + 127) / 255);
            bgra[i + 1] = (byte)Math.Min(255, bgra[i + 1] + ((g * inverse) + 127) / 255);
            bgra[i + 2] = (byte)Math.Min(255, bgra[i + 2] + ((r * inverse) + 127) / 255);
            bgra[i + 3] = 255;
        }
    }
}
