namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>The folder holding <c>Orleans.Segments.sln</c>, found by walking up from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.Segments.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException($"No Orleans.Segments.sln above {AppContext.BaseDirectory}.");
    }
}
