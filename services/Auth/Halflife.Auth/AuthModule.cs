using Halflife.ServiceDefaults.Hosting;

namespace Halflife.Auth;

/// <summary>Auth: users, roles, projects, tokens.</summary>
public sealed class AuthModule : IServiceModule
{
    public string Name => "auth";

    public void Add(WebApplicationBuilder builder)
    {
    }

    public void Map(WebApplication app)
    {
        app.MapGroup("/api/auth").WithTags("Auth").MapGet("/info", () => new { service = Name });
    }
}
