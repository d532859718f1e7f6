using System.Text.RegularExpressions;
using Halflife.Auth.Projects;
using Halflife.Auth.Tokens;
using Halflife.Auth.Users;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Auth.Api;

public sealed record UserDto(Guid Id, string UserName, string? DisplayName, string? Email, IReadOnlyList<string> Roles, IReadOnlyList<string> Projects,
    bool Disabled, bool HasPassword, DateTimeOffset? LockedUntil);
public sealed record CreateUserRequest(string UserName, string Password, IReadOnlyList<string>? Roles, string? DisplayName, string? Email);
public sealed record SetRolesRequest(IReadOnlyList<string> Roles);
public sealed record ResetPasswordRequest(string Password);
public sealed record ProjectDto(string Id, string Name, string? Description, IReadOnlyList<Guid> Members);
public sealed record CreateProjectRequest(string Id, string Name, string? Description);

/// <summary>Admin: users (create, roles, disable, reset password) and projects (create, members). Every change is audited.</summary>
public static partial class UserAdminEndpoints
{
    public const int MinPasswordLength = 12;

    public static RouteGroupBuilder MapUserAdminEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/users", ListUsersAsync).WithName("ListUsers");
        group.MapPost("/users", CreateUserAsync).WithName("CreateUser");
        group.MapPut("/users/{id:guid}/roles", SetRolesAsync).WithName("SetUserRoles");
        group.MapPost("/users/{id:guid}/disable", (Guid id, AuthDbContext db, SessionService sessions, IAuditLog audit, CancellationToken ct) =>
            SetDisabledAsync(id, true, db, sessions, audit, ct)).WithName("DisableUser");
        group.MapPost("/users/{id:guid}/enable", (Guid id, AuthDbContext db, SessionService sessions, IAuditLog audit, CancellationToken ct) =>
            SetDisabledAsync(id, false, db, sessions, audit, ct)).WithName("EnableUser");
        group.MapPost("/users/{id:guid}/password", ResetPasswordAsync).WithName("ResetUserPassword");
        group.MapGet("/projects", ListProjectsAsync).WithName("ListProjects");
        group.MapPost("/projects", CreateProjectAsync).WithName("CreateProject");
        group.MapPut("/projects/{projectId}/members/{userId:guid}", AddMemberAsync).WithName("AddProjectMember");
        group.MapDelete("/projects/{projectId}/members/{userId:guid}", RemoveMemberAsync).WithName("RemoveProjectMember");
        return group;
    }

    private static async Task<IResult> ListUsersAsync(AuthDbContext db, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var members = await db.ProjectMembers.AsNoTracking().ToListAsync(cancellationToken);
        return Results.Ok(users.Select(u => ToDto(u, members.Where(m => m.UserId == u.Id).Select(m => m.ProjectId).ToList())).ToList());
    }

    private static async Task<IResult> CreateUserAsync(CreateUserRequest request, AuthDbContext db, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || request.UserName.Length > 100 || request.UserName.Any(char.IsControl) || request.UserName.Contains(':'))
            return Problem(StatusCodes.Status400BadRequest, "userName must be 1 to 100 printable characters without ':' (reserved for external logins).");
        if (PasswordProblem(request.Password) is { } weak) return weak;
        if (RolesProblem(request.Roles ?? []) is { } badRoles) return badRoles;
        if (await db.Users.AnyAsync(u => u.UserName == request.UserName, cancellationToken))
            return Problem(StatusCodes.Status409Conflict, $"User '{request.UserName}' exists.");
        var user = new User
        {
            Id = Guid.CreateVersion7(), UserName = request.UserName.Trim(), DisplayName = request.DisplayName, Email = request.Email,
            PasswordHash = PasswordHasher.Hash(request.Password), Roles = string.Join(',', (request.Roles ?? []).Distinct()), CreatedAt = DateTime.UtcNow,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditActions.Create, AuditResources.User, user.Id.ToString(), details: $"{user.UserName} roles={user.Roles}", cancellationToken: cancellationToken);
        return Results.Created($"/api/auth/users/{user.Id}", ToDto(user, []));
    }

    private static async Task<IResult> SetRolesAsync(Guid id, SetRolesRequest request, AuthDbContext db, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (RolesProblem(request.Roles) is { } bad) return bad;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null) return Problem(StatusCodes.Status404NotFound, $"User {id} does not exist.");
        var before = user.Roles;
        user.Roles = string.Join(',', request.Roles.Distinct());
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditActions.Change, AuditResources.User, id.ToString(), details: $"roles {before} -> {user.Roles}", cancellationToken: cancellationToken);
        return Results.Ok(ToDto(user, await ProjectsOf(db, id, cancellationToken)));
    }

    private static async Task<IResult> SetDisabledAsync(Guid id, bool disabled, AuthDbContext db, SessionService sessions, IAuditLog audit, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null) return Problem(StatusCodes.Status404NotFound, $"User {id} does not exist.");
        user.Disabled = disabled;
        await db.SaveChangesAsync(cancellationToken);
        if (disabled) await sessions.RevokeAllForUserAsync(id, cancellationToken);
        await audit.RecordAsync(AuditActions.Change, AuditResources.User, id.ToString(), details: disabled ? "disabled" : "enabled", cancellationToken: cancellationToken);
        return Results.Ok(ToDto(user, await ProjectsOf(db, id, cancellationToken)));
    }

    private static async Task<IResult> ResetPasswordAsync(Guid id, ResetPasswordRequest request, AuthDbContext db, SessionService sessions, IAuditLog audit,
        CancellationToken cancellationToken)
    {
        if (PasswordProblem(request.Password) is { } weak) return weak;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null) return Problem(StatusCodes.Status404NotFound, $"User {id} does not exist.");
        user.PasswordHash = PasswordHasher.Hash(request.Password);
        user.FailedLogins = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        await sessions.RevokeAllForUserAsync(id, cancellationToken);
        await audit.RecordAsync(AuditActions.Change, AuditResources.User, id.ToString(), details: "password reset", cancellationToken: cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ListProjectsAsync(AuthDbContext db, CancellationToken cancellationToken)
    {
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var members = await db.ProjectMembers.AsNoTracking().ToListAsync(cancellationToken);
        return Results.Ok(projects.Select(p => new ProjectDto(p.Id, p.Name, p.Description, members.Where(m => m.ProjectId == p.Id).Select(m => m.UserId).ToList())).ToList());
    }

    private static async Task<IResult> CreateProjectAsync(CreateProjectRequest request, AuthDbContext db, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Id) || !ProjectIdPattern().IsMatch(request.Id))
            return Problem(StatusCodes.Status400BadRequest, "id must be 1 to 64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.");
        if (string.IsNullOrWhiteSpace(request.Name)) return Problem(StatusCodes.Status400BadRequest, "name is required.");
        if (await db.Projects.AnyAsync(p => p.Id == request.Id, cancellationToken)) return Problem(StatusCodes.Status409Conflict, $"Project '{request.Id}' exists.");
        db.Projects.Add(new Project { Id = request.Id, Name = request.Name.Trim(), Description = request.Description, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditActions.Create, AuditResources.Project, request.Id, request.Id, cancellationToken: cancellationToken);
        return Results.Created($"/api/auth/projects/{request.Id}", new ProjectDto(request.Id, request.Name, request.Description, []));
    }

    private static async Task<IResult> AddMemberAsync(string projectId, Guid userId, AuthDbContext db, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken) && projectId != HalflifeClaims.DefaultProject)
            return Problem(StatusCodes.Status404NotFound, $"Project '{projectId}' does not exist.");
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken)) return Problem(StatusCodes.Status404NotFound, $"User {userId} does not exist.");
        if (!await db.ProjectMembers.AnyAsync(m => m.ProjectId == projectId && m.UserId == userId, cancellationToken))
        {
            db.ProjectMembers.Add(new ProjectMember { ProjectId = projectId, UserId = userId, AddedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(AuditActions.Change, AuditResources.Project, projectId, projectId, details: $"member added: {userId}", cancellationToken: cancellationToken);
        }
        return Results.NoContent();
    }

    private static async Task<IResult> RemoveMemberAsync(string projectId, Guid userId, AuthDbContext db, IAuditLog audit, CancellationToken cancellationToken)
    {
        var removed = await db.ProjectMembers.Where(m => m.ProjectId == projectId && m.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0) return Problem(StatusCodes.Status404NotFound, $"User {userId} is not in project '{projectId}'.");
        await audit.RecordAsync(AuditActions.Change, AuditResources.Project, projectId, projectId, details: $"member removed: {userId}", cancellationToken: cancellationToken);
        return Results.NoContent();
    }

    private static async Task<List<string>> ProjectsOf(AuthDbContext db, Guid userId, CancellationToken cancellationToken) =>
        await db.ProjectMembers.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.ProjectId).ToListAsync(cancellationToken);

    private static UserDto ToDto(User u, IReadOnlyList<string> projects) =>
        new(u.Id, u.UserName, u.DisplayName, u.Email, u.RoleList, projects, u.Disabled, u.PasswordHash.Length > 0,
            u.LockedUntil is { } l ? new DateTimeOffset(DateTime.SpecifyKind(l, DateTimeKind.Utc)) : null);

    public static IResult? RolesProblem(IReadOnlyList<string> roles) =>
        roles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } unknown
            ? Problem(StatusCodes.Status400BadRequest, $"Unknown role '{unknown}'. Roles: {string.Join(", ", Roles.All)}.")
            : null;

    private static IResult? PasswordProblem(string? password) =>
        password is null || password.Length < MinPasswordLength || password.Length > 1024
            ? Problem(StatusCodes.Status400BadRequest, $"Passwords have {MinPasswordLength} to 1024 characters.")
            : null;

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex ProjectIdPattern();
}
