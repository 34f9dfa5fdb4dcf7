using System.Text.RegularExpressions;

namespace Orleans.Segments;

/// <summary>Rules for app ids: lower-case letters, digits, '-' and '_', 1 to 64 characters.</summary>
public static partial class AppId
{
    public static bool IsValid(string? appId) => appId is not null && Pattern().IsMatch(appId);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex Pattern();
}
