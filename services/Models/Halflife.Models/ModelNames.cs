using System.Text.RegularExpressions;

namespace Halflife.Models;

/// <summary>
/// Names and versions become parts of blob keys ("models/{name}/{version}/..."), so they follow the key rules:
/// lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, no "..".
/// </summary>
public static partial class ModelNames
{
    public const int MaxLength = 64;

    public static bool IsValidName(string? name) => name is not null && Token().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    public static bool IsValidVersion(string? version) => IsValidName(version);

    public static string RequireName(string? name) => IsValidName(name) ? name!
        : throw new ModelValidationException([$"model name '{name}' is invalid: use 1-{MaxLength} lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"]);

    public static string RequireVersion(string? version) => IsValidVersion(version) ? version!
        : throw new ModelValidationException([$"model version '{version}' is invalid: use 1-{MaxLength} lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. 1.0.0)"]);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex Token();
}
