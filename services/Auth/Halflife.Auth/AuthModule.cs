using Halflife.Auth.Api;
using Halflife.Auth.ApiKeys;
using Halflife.Auth.Audit;
using Halflife.Auth.External;
using Halflife.Auth.Tokens;
using Halflife.Auth.Users;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Persistence;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Halflife.Auth;

/// <summary>
/// Auth: users, roles, projects, password and external login, ES256 access tokens with rotating refresh tokens,
/// the published key set, API keys, and the append-only audit log every service writes to.
/// </summary>
public sealed class AuthModule : IServiceModule
{
    public string Name => "auth";

    public void Add(WebApplicationBuilder builder)
    {
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        builder.AddServiceDatabase<AuthDbContext>(Name);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IStartupTask, FirstAdminBootstrap>();
        builder.Services.AddSingleton<KeyEncryption>();
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.AddSingleton<IStartupTask>(sp => sp.GetRequiredService<SigningKeyStore>());
        // In this process services read Auth's keys directly, check API keys directly and write audit rows directly.
        builder.Services.AddSingleton<ISigningKeySource>(sp => sp.GetRequiredService<SigningKeyStore>());
        builder.Services.AddSingleton<ApiKeyService>();
        builder.Services.AddSingleton<IApiKeyValidator>(sp => sp.GetRequiredService<ApiKeyService>());
        builder.Services.AddSingleton<AuditStore>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IAuditLog>(sp => sp.GetRequiredService<AuditStore>()));
        builder.AddConsumers(bus => bus.AddConsumer<AuthAuditRecordedConsumer>());
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddScoped<SessionService>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddHttpClient<OAuthClient>(c => c.Timeout = TimeSpan.FromSeconds(15));
        builder.Services.AddDataProtection().SetApplicationName("halflife-auth");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>, DataProtectionKeyFolder>();
    }

    public void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/auth").WithTags("Auth");
        api.MapLoginEndpoints();
        api.MapKeySetEndpoints();
        api.MapExternalLoginEndpoints();
        api.MapUserAdminEndpoints();
        api.MapApiKeyAndAuditEndpoints();
    }

    /// <summary>Data protection keys (they encrypt the external-login state cookie) under data/secrets, not the home folder.</summary>
    private sealed class DataProtectionKeyFolder(IOptions<HalflifeOptions> halflife) : IConfigureOptions<KeyManagementOptions>
    {
        public void Configure(KeyManagementOptions options)
        {
            var folder = new DirectoryInfo(halflife.Value.ResolveDataPath(Path.Combine("secrets", "data-protection")));
            folder.Create();
            options.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(folder, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        }
    }
}
