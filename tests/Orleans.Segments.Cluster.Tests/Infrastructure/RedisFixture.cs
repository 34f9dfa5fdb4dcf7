namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>One Redis for a test class; each test forms its own cluster in it under a fresh cluster id.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public async Task InitializeAsync() => Redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Redis.DisposeAsync();

    public static string NewClusterId(string name) => $"{name}-{Guid.NewGuid():N}"[..24];
}
