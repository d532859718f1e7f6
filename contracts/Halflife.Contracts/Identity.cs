namespace Halflife.Contracts;

public sealed record UserRegistered(
    Guid UserId,
    string UserName,
    IReadOnlyList<string> Roles,
    DateTimeOffset RegisteredAt);
