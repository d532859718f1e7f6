using Halflife.Imaging.Slides;
using Halflife.Imaging.Tiles;

namespace Halflife.Imaging.Tests;

public sealed class BrokenSlideTests
{
    [Fact]
    public void Unrecognised_file_is_a_format_error_with_a_clear_message()
    {
        var error = Assert.Throws<SlideFormatException>(() => WholeSlideImage.Open(TestData.RequireWsi("broken.svs")));

        Assert.Contains("not a whole-slide format", error.Message);
        Assert.EndsWith("broken.svs", error.SlidePath);
    }

    [Fact]
    public void Tiff_with_unsupported_compression_is_a_format_error_carrying_openslides_reason()
    {
        var error = Assert.Throws<SlideFormatException>(() => WholeSlideImage.Open(TestData.RequireWsi("unopenable.tiff")));

        Assert.Contains("Unsupported TIFF compression: 52479", error.Message);
    }

    [Fact]
    public void Slide_whose_tiles_cannot_be_decoded_fails_on_read_and_stays_failed()
    {
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("unreadable.svs"));
        Assert.Equal(new SlideSize(16, 16), slide.Dimensions);

        var first = Assert.Throws<SlideFormatException>(() => slide.ReadRegion(0, 0, 0, 16, 16));
        Assert.Contains("Bogus marker length", first.Message);

        // OpenSlide keeps the handle in its error state; every later call reports it instead of crashing.
        Assert.Throws<SlideFormatException>(() => slide.GetBestLevelForDownsample(1));
    }

    [Fact]
    public void Tile_of_an_undecodable_slide_is_a_format_error()
    {
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("unreadable.svs"));
        var generator = new DeepZoomGenerator(slide);

        Assert.Throws<SlideFormatException>(() => generator.RenderTileJpeg(new TileAddress(generator.Levels.Count - 1, 0, 0)));
    }

    [Fact]
    public void Missing_file_is_file_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => WholeSlideImage.Open(Path.Combine(Path.GetTempPath(), "no-such-slide.svs")));
    }

    [Fact]
    public void A_text_file_is_not_a_slide()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a slide");
            Assert.Null(WholeSlideImage.DetectVendor(path));
            Assert.Throws<SlideFormatException>(() => WholeSlideImage.Open(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
