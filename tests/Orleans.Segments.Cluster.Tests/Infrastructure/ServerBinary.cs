namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>The built server (<c>Orleans.Segments.Server.dll</c>) of the same configuration as these tests.</summary>
public static class ServerBinary
{
    // Why: static initializers run in order; the root is needed to find the binary.
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Path { get; } = Find();

    private static string Find()
    {
        // Why: the tests are built in Debug or Release like the server; run the server of the same build.
        string configuration = AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}")
            ? "Release"
            : "Debug";
        string path = System.IO.Path.Combine(RepositoryRoot, "src", "Orleans.Segments.Server", "bin", configuration, "net10.0", "Orleans.Segments.Server.dll");
        if (!File.Exists(path)) throw new InvalidOperationException($"The server is not built: {path} is missing. Build Orleans.Segments.sln first.");
        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Orleans.Segments.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException($"No Orleans.Segments.sln above {AppContext.BaseDirectory}.");
    }
}
