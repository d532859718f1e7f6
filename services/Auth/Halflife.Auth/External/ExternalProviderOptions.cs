namespace Halflife.Auth.External;

public enum ExternalProviderType { Kakao, Oidc }

/// <summary>
/// One external login provider (Auth:External:{name}). For Kakao only ClientId (the REST API key) and, if enabled in
/// the Kakao console, ClientSecret are needed; the endpoints default to Kakao's. For a generic OAuth2/OpenID Connect
/// provider give Authority (discovery) or the three endpoints.
/// </summary>
public sealed class ExternalProviderOptions
{
    public ExternalProviderType Type { get; set; } = ExternalProviderType.Oidc;
    public string? DisplayName { get; set; }
    public string ClientId { get; set; } = "";
    public string? ClientSecret { get; set; }
    /// <summary>OpenID Connect issuer URL: endpoints are read from {Authority}/.well-known/openid-configuration.</summary>
    public string? Authority { get; set; }
    public string? AuthorizationEndpoint { get; set; }
    public string? TokenEndpoint { get; set; }
    public string? UserInfoEndpoint { get; set; }
    public List<string> Scopes { get; set; } = [];
    /// <summary>Absolute callback URL registered at the provider; default {scheme}://{host}/api/auth/external/{name}/callback.</summary>
    public string? RedirectUri { get; set; }
    /// <summary>
    /// Roles a user created by a first external login gets. Default none: the account exists but sees nothing until an
    /// admin grants roles and projects (the safe choice for patient data).
    /// </summary>
    public List<string> DefaultRoles { get; set; } = [];

    public const string KakaoAuthorize = "https://kauth.kakao.com/oauth/authorize";
    public const string KakaoToken = "https://kauth.kakao.com/oauth/token";
    public const string KakaoUserInfo = "https://kapi.kakao.com/v2/user/me";

    /// <summary>Fills Kakao's defaults.</summary>
    public ExternalProviderOptions Resolved()
    {
        if (Type != ExternalProviderType.Kakao) return this;
        AuthorizationEndpoint ??= KakaoAuthorize;
        TokenEndpoint ??= KakaoToken;
        UserInfoEndpoint ??= KakaoUserInfo;
        return this;
    }
}
