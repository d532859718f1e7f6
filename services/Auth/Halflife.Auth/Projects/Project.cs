namespace Halflife.Auth.Projects;

/// <summary>Every study and slide belongs to a project; users see only their projects' data.</summary>
public sealed class Project
{
    /// <summary>Short lower-case id that services store with their data (for example "bone-2h").</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class ProjectMember
{
    public string ProjectId { get; set; } = "";
    public Guid UserId { get; set; }
    public DateTime AddedAt { get; set; }
}
