using Halflife.Auth.ApiKeys;
using Halflife.Auth.Tokens;
using Halflife.Auth.Users;
using Halflife.Contracts;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Auth.Api;

public sealed record CreateApiKeyRequest(string Name, IReadOnlyList<string> Scopes, IReadOnlyList<string>? Projects, DateTimeOffset? ExpiresAt);
public sealed record ApiKeyDto(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, IReadOnlyList<string> Projects, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
public sealed record AuditRecordDto(Guid Id, DateTimeOffset At, string? UserId, string UserName, string Action, string ResourceType, string ResourceId,
    string? ProjectId, string Outcome, string? ClientIp, string? UserAgent, string Service, string? Details);

/// <summary>Admin: API keys (shown once, revocable), the audit log (query only: there is no way to change it), key rotation.</summary>
public static class ApiKeyAndAuditEndpoints
{
    private const int MaxPageSize = 500;

    public static RouteGroupBuilder MapApiKeyAndAuditEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/api-keys", ListKeysAsync).WithName("ListApiKeys");
        group.MapPost("/api-keys", CreateKeyAsync).WithName("CreateApiKey");
        group.MapDelete("/api-keys/{id:guid}", RevokeKeyAsync).WithName("RevokeApiKey");
        group.MapGet("/audit", QueryAuditAsync).WithName("QueryAudit");
        group.MapPost("/keys/rotate", async (SigningKeyStore keys, IAuditLog audit, CancellationToken ct) =>
        {
            var kid = await keys.RotateAsync(ct);
            await audit.RecordAsync(AuditActions.Admin, "signing-key", kid, details: "rotated", cancellationToken: ct);
            return Results.Ok(new { kid });
        }).WithName("RotateSigningKey");
        return group;
    }

    private static async Task<IResult> ListKeysAsync(AuthDbContext db, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(cancellationToken);
        return Results.Ok(keys.OrderBy(k => k.CreatedAt).Select(ToDto).ToList());
    }

    private static async Task<IResult> CreateKeyAsync(CreateApiKeyRequest request, AuthDbContext db, ApiKeyService keys, IAuditLog audit, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
            return Results.Problem("name must be 1 to 100 characters.", statusCode: StatusCodes.Status400BadRequest);
        if (request.Scopes is not { Count: > 0 }) return Results.Problem("Give at least one scope (a role).", statusCode: StatusCodes.Status400BadRequest);
        if (UserAdminEndpoints.RolesProblem(request.Scopes) is { } bad) return bad;
        var created = await keys.CreateAsync(db, request.Name.Trim(), request.Scopes.Distinct().ToList(), (request.Projects ?? []).Distinct().ToList(),
            request.ExpiresAt, http.User.UserNameOrAnonymous(), cancellationToken);
        await audit.RecordAsync(AuditActions.Create, AuditResources.ApiKey, created.Id.ToString(), details: $"{created.Name} scopes={string.Join(',', created.Scopes)}",
            cancellationToken: cancellationToken);
        return Results.Created($"/api/auth/api-keys/{created.Id}", created);
    }

    private static async Task<IResult> RevokeKeyAsync(Guid id, AuthDbContext db, IAuditLog audit, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null) return Results.Problem($"API key {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
        key.RevokedAt ??= DateTime.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditActions.Delete, AuditResources.ApiKey, id.ToString(), details: key.Name, cancellationToken: cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> QueryAuditAsync(AuthDbContext db, string? user, string? action, string? resourceType, string? resourceId,
        string? projectId, DateTimeOffset? from, DateTimeOffset? to, int page = 1, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        if (page < 1 || pageSize < 1 || pageSize > MaxPageSize)
            return Results.Problem($"page must be >= 1 and pageSize between 1 and {MaxPageSize}.", statusCode: StatusCodes.Status400BadRequest);
        var query = db.AuditRecords.AsNoTracking();
        if (!string.IsNullOrEmpty(user)) query = query.Where(a => a.UserName == user || a.UserId == user);
        if (!string.IsNullOrEmpty(action)) query = query.Where(a => a.Action == action);
        if (!string.IsNullOrEmpty(resourceType)) query = query.Where(a => a.ResourceType == resourceType);
        if (!string.IsNullOrEmpty(resourceId)) query = query.Where(a => a.ResourceId == resourceId);
        if (!string.IsNullOrEmpty(projectId)) query = query.Where(a => a.ProjectId == projectId);
        if (from is not null) query = query.Where(a => a.At >= from.Value.UtcDateTime);
        if (to is not null) query = query.Where(a => a.At < to.Value.UtcDateTime);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return Results.Ok(new PagedResult<AuditRecordDto>(rows.Select(a => new AuditRecordDto(a.Id, Utc(a.At), a.UserId, a.UserName, a.Action,
            a.ResourceType, a.ResourceId, a.ProjectId, a.Outcome, a.ClientIp, a.UserAgent, a.Service, a.Details)).ToList(), page, pageSize, total));
    }

    private static ApiKeyDto ToDto(ApiKey k) => new(k.Id, k.Name, k.Prefix, ApiKeyService.Split(k.Scopes), ApiKeyService.Split(k.Projects), k.CreatedBy,
        Utc(k.CreatedAt), UtcOrNull(k.ExpiresAt), UtcOrNull(k.LastUsedAt), UtcOrNull(k.RevokedAt));

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
    private static DateTimeOffset? UtcOrNull(DateTime? value) => value is { } v ? Utc(v) : null;
}
