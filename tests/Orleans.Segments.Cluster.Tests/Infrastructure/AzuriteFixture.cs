namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>One Azurite for a test class; each test forms its own cluster in it under a fresh cluster id.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;

    public async Task InitializeAsync() => Azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await Azurite.DisposeAsync();
}
