namespace Orleans.Segments;

/// <summary>Rules for app ids: the same as every other id (<see cref="ResourceId"/>).</summary>
public static class AppId
{
    public static bool IsValid(string? appId) => ResourceId.IsValid(appId);
}
