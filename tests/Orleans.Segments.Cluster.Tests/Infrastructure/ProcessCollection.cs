namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>
/// Tests that start server processes run one after another: two cores cannot host several clusters at once
/// without their timings (failure detection, recovery bounds) becoming meaningless.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "processes";
}
