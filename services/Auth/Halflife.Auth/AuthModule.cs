using Halflife.Auth.Api;
using Halflife.Auth.Tokens;
using Halflife.Auth.Users;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Persistence;

namespace Halflife.Auth;

/// <summary>Auth: users, password login and access tokens (first-run admin without any written-down password).</summary>
public sealed class AuthModule : IServiceModule
{
    public string Name => "auth";

    public void Add(WebApplicationBuilder builder)
    {
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        builder.AddServiceDatabase<AuthDbContext>(Name);
        builder.Services.AddSingleton<IStartupTask, FirstAdminBootstrap>();
        builder.Services.AddSingleton<SigningKeyProvider>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton(TimeProvider.System);
    }

    public void Map(WebApplication app)
    {
        app.MapGroup("/api/auth").WithTags("Auth").MapLoginEndpoints();
    }
}
