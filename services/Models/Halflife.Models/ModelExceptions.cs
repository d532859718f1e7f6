namespace Halflife.Models;

/// <summary>An uploaded card or model that does not pass validation; every problem found is listed.</summary>
public sealed class ModelValidationException(IReadOnlyList<string> errors)
    : Exception("The model is not valid: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>The version exists already (versions are immutable), or the operation would remove the active version.</summary>
public sealed class ModelConflictException(string message) : Exception(message);

/// <summary>No such model or version in the registry.</summary>
public sealed class ModelNotFoundException(string message) : Exception(message);

/// <summary>An upload part exceeds its configured size limit.</summary>
public sealed class ModelTooLargeException(string message) : Exception(message);

/// <summary>
/// A service asked for the active version of a model that has none (never uploaded, or deactivated). Transient from
/// the service's point of view: activating a version fixes it without a restart.
/// </summary>
public sealed class NoActiveModelException(string name)
    : Exception($"The model registry has no active version of '{name}'. Upload one (POST /api/models) and activate it (POST /api/models/{name}/active).")
{
    public string ModelName { get; } = name;
}
