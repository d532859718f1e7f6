using Halflife.Imaging.Slides;

namespace Halflife.Imaging.Tiles;

/// <summary>
/// What to read from the slide for one Deep Zoom tile (openslide-python's get_tile_coordinates)
/// and the size the read is scaled to (get_tile_dimensions).
/// </summary>
/// <param name="Level0X">Left edge of the read, level-0 pixels, bounds offset included.</param>
/// <param name="Level0Y">Top edge of the read, level-0 pixels.</param>
/// <param name="SlideLevel">The pyramid level read from.</param>
/// <param name="ReadWidth">Width of the read in that level's pixels.</param>
/// <param name="ReadHeight">Height of the read in that level's pixels.</param>
/// <param name="TileWidth">Width of the finished tile, overlap included.</param>
/// <param name="TileHeight">Height of the finished tile.</param>
public readonly record struct TileRegion(
    long Level0X, long Level0Y, int SlideLevel, int ReadWidth, int ReadHeight, int TileWidth, int TileHeight);

/// <summary>Address of a tile within a Deep Zoom pyramid; level 0 is the 1x1-pixel level.</summary>
public readonly record struct TileAddress(int Level, int Column, int Row);

/// <summary>Pixel size of a Deep Zoom level and its tile grid.</summary>
public readonly record struct DeepZoomLevel(SlideSize Size, int Columns, int Rows);
