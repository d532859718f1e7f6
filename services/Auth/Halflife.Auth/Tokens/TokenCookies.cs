using Halflife.ServiceDefaults.Security;

namespace Halflife.Auth.Tokens;

/// <summary>
/// The browser's copies of the tokens: HttpOnly (scripts cannot read them), SameSite=Strict (not sent on cross-site
/// requests), Secure when the request came over HTTPS. The refresh cookie is sent only to /api/auth.
/// </summary>
public static class TokenCookies
{
    public const string RefreshCookie = "halflife_refresh";

    public static void Write(HttpContext context, SecurityOptions security, IssuedTokens tokens)
    {
        context.Response.Cookies.Append(security.AccessCookieName, tokens.AccessToken, Options(context, "/", tokens.ExpiresAt));
        context.Response.Cookies.Append(RefreshCookie, tokens.RefreshToken, Options(context, "/api/auth", tokens.RefreshExpiresAt));
    }

    public static void Clear(HttpContext context, SecurityOptions security)
    {
        context.Response.Cookies.Delete(security.AccessCookieName, Options(context, "/", null));
        context.Response.Cookies.Delete(RefreshCookie, Options(context, "/api/auth", null));
    }

    private static CookieOptions Options(HttpContext context, string path, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = path,
        Expires = expires,
        IsEssential = true,
    };
}
