namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>The server most tests share. Its clock never moves, so tests can run against it in any order.</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}

/// <summary>
/// A server of its own for tests that move the clock, so advancing time never changes what another test sees.
/// Tests in it run one after another and compute their expectations from the clock as they find it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TimeTravelCollection : ICollectionFixture<TimeTravelServerFixture>
{
    public const string Name = "time travel";
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookServerFixture>
{
    public const string Name = "webhooks";
}
