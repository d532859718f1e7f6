using System.Security.Cryptography;
using Halflife.Auth.Tokens;
using Halflife.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Auth.Users;

/// <summary>
/// On the very first start (no user at all) creates the "admin" account with a random password, written once to
/// data/initial-admin-password (mode 0600) and never to the log. No password is ever written in the code.
/// </summary>
public sealed class FirstAdminBootstrap(IServiceScopeFactory scopes, IOptions<HalflifeOptions> halflife, ILogger<FirstAdminBootstrap> logger)
    : IStartupTask
{
    public const string AdminUserName = "admin";
    public const string PasswordFileName = "initial-admin-password";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        if (await db.Users.AnyAsync(cancellationToken)) return;

        var password = RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
        var path = halflife.Value.ResolveDataPath(PasswordFileName);
        if (File.Exists(path)) File.Delete(path); // a leftover from a database that was thrown away
        SecretFile.WriteNew(path, password + "\n");
        db.Users.Add(new User
        {
            Id = Guid.CreateVersion7(), UserName = AdminUserName, PasswordHash = PasswordHasher.Hash(password),
            Roles = "admin", CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("First start: created user '{User}'. Its one-time password is in {Path} (readable only by this account).",
            AdminUserName, path);
    }
}
