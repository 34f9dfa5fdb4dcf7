namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>A storage backend the tests run the server on (Redis, or Azurite for Azure Storage), started by the tests themselves.</summary>
public interface IStorageServer : IAsyncDisposable
{
    /// <summary>The name tests print: "Redis", "Azure Storage".</summary>
    string Name { get; }

    /// <summary>The server's command-line settings that point it at this backend.</summary>
    IEnumerable<string> ServerArguments { get; }

    /// <summary>Freezes the backend (SIGSTOP): connections stay open, nothing is answered, as in a stalled server.</summary>
    void Pause();

    void Resume();

    /// <summary>Silos the membership table lists as active in the cluster.</summary>
    Task<int> ActiveSilosAsync(string clusterId);

    /// <summary>How many keys of the console's cookie key ring the backend holds.</summary>
    Task<int> ConsoleKeysAsync();
}
