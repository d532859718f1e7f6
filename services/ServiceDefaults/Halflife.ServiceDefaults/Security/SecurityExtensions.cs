using System.Net;
using Halflife.ServiceDefaults.Security.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Halflife.ServiceDefaults.Security;

public static class SecurityExtensions
{
    /// <summary>The scheme that picks bearer token (header or cookie) or API key per request.</summary>
    public const string Scheme = "Halflife";

    /// <summary>
    /// Token validation (ES256/RS256 by kid, issuer, audience, lifetime), API keys where a validator exists, the
    /// caller's projects, the audit client and trusted forwarded headers. Every process gets this, so services
    /// validate tokens themselves even behind the gateway (defence in depth).
    /// </summary>
    public static IHostApplicationBuilder AddHalflifeSecurity(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SecurityOptions.Section);
        builder.Services.Configure<SecurityOptions>(section);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<ISigningKeySource, StaticKeySource>();
        builder.Services.AddSingleton<RemoteKeySet>();
        builder.Services.AddSingleton<ISigningKeySource>(sp => sp.GetRequiredService<RemoteKeySet>());
        builder.Services.AddScoped<ProjectAccess>();
        builder.Services.AddSingleton<AuditEventFactory>();
        builder.Services.TryAddSingleton<IAuditLog, BusAuditLog>();

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
                o.DefaultForbidScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Bearer token or API key", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.Find(context.Request) is not null ? ApiKeyAuthenticationHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IServiceProvider, IOptions<SecurityOptions>>((jwt, services, security) => ConfigureBearer(jwt, services, security.Value));
        builder.Services.AddAuthorization();

        builder.Services.Configure<ForwardedHeadersOptions>(o => ConfigureForwardedHeaders(o, section.Get<SecurityOptions>() ?? new SecurityOptions()));
        builder.Services.AddTransient<IStartupFilter, ForwardedHeadersStartupFilter>();
        return builder;
    }

    /// <summary>Authentication, then the access table. Call after routing is known (HalflifeApplication does).</summary>
    public static IApplicationBuilder UseHalflifeSecurity(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseMiddleware<AccessEnforcementMiddleware>();
        return app;
    }

    private static void ConfigureBearer(JwtBearerOptions jwt, IServiceProvider services, SecurityOptions security)
    {
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = security.Issuer,
            ValidAudience = security.Audience,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = security.ClockSkew,
            NameClaimType = HalflifeClaims.Name,
            RoleClaimType = HalflifeClaims.Role,
        };
        // Keys are read from every source on each validation: Auth's own store where it runs in this process (a
        // rotation is seen at once), the key set fetched from Security:Authority elsewhere, and configured PEM keys.
        var sources = services.GetServices<ISigningKeySource>().ToList();
        jwt.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, kid, _) =>
            sources.SelectMany(s => s.ValidationKeys()).Where(k => kid is null || k.KeyId == kid).ToList();
        var remote = services.GetRequiredService<RemoteKeySet>();
        jwt.Events = new JwtBearerEvents
        {
            OnMessageReceived = async context =>
            {
                ReadCookieToken(context, security);
                // Distributed: fetch Auth's key set first if it is stale or lacks the token's kid.
                if (!string.IsNullOrWhiteSpace(security.Authority))
                    await remote.EnsureAsync(KeyIdOf(context), context.HttpContext.RequestAborted);
            },
        };
    }

    /// <summary>The kid in the header of the request's token (unvalidated: it only chooses which key to look for).</summary>
    private static string? KeyIdOf(MessageReceivedContext context)
    {
        var token = context.Token;
        if (token is null && context.Request.Headers.Authorization.ToString() is { } header
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            token = header["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            return new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Kid;
        }
        catch (ArgumentException)
        {
            return null; // not a JWT: validation will say so
        }
    }

    /// <summary>
    /// Browsers cannot put a header on &lt;img&gt; or tile requests, so the access token also travels in an HttpOnly
    /// SameSite=Strict cookie. For unsafe methods the cookie counts only with an X-Requested-With header, which a
    /// cross-site form cannot send (the anti-CSRF rule in docs/security.md).
    /// </summary>
    private static void ReadCookieToken(MessageReceivedContext context, SecurityOptions security)
    {
        var request = context.Request;
        if (!string.IsNullOrEmpty(request.Headers.Authorization)) return;
        if (!request.Cookies.TryGetValue(security.AccessCookieName, out var token) || string.IsNullOrEmpty(token)) return;
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        if (safe || !string.IsNullOrEmpty(request.Headers.XRequestedWith)) context.Token = token;
    }

    private static void ConfigureForwardedHeaders(ForwardedHeadersOptions options, SecurityOptions security)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        foreach (var proxy in security.KnownProxies)
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        foreach (var network in security.KnownNetworks)
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
    }

    /// <summary>Forwarded headers first of all, so rate limits, logs and audit see the client's address.</summary>
    private sealed class ForwardedHeadersStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            next(app);
        };
    }
}
