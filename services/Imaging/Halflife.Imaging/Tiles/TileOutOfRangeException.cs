namespace Halflife.Imaging.Tiles;

/// <summary>
/// A Deep Zoom level, column or row outside the pyramid. An HTTP layer maps this to 404: the
/// tile does not exist, the request is not malformed.
/// </summary>
public sealed class TileOutOfRangeException(string paramName, long actual, string message)
    : ArgumentOutOfRangeException(paramName, actual, message);
