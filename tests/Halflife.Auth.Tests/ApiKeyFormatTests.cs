using Halflife.Auth.ApiKeys;

namespace Halflife.Auth.Tests;

/// <summary>Key parsing with fixed secrets, so the '_' inside a base64url secret is tested every run, not by chance.</summary>
public sealed class ApiKeyFormatTests
{
    [Fact]
    public void A_secret_with_underscores_and_dashes_keeps_its_prefix()
    {
        // 0xFF 0xFF 0xFF encodes as "____" and 0xFB 0xEF 0xBE as "----" in base64url.
        var key = ApiKeyFormat.Compose("0123456789ab", [0xFF, 0xFF, 0xFF, 0xFB, 0xEF, 0xBE]);
        Assert.Equal("hlk_0123456789ab_____----", key);
        Assert.Equal("0123456789ab", ApiKeyFormat.PrefixOf(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hlk_")]
    [InlineData("hlk_0123456789ab")]
    [InlineData("hlk_0123456789ab_")]
    [InlineData("hlk_0123456789a_secret")]
    [InlineData("xyz_0123456789ab_secret")]
    [InlineData("hlk0123456789ab_secret")]
    public void Malformed_keys_have_no_prefix(string key) => Assert.Null(ApiKeyFormat.PrefixOf(key));

    [Fact]
    public void Overlong_keys_are_refused_before_any_lookup() =>
        Assert.Null(ApiKeyFormat.PrefixOf("hlk_0123456789ab_" + new string('a', ApiKeyFormat.MaxLength)));
}
