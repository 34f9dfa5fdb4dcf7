using Orleans.Concurrency;

namespace Orleans.Segments;

/// <summary>Stateless, local to each silo: readiness must not depend on one grain somewhere else.</summary>
[StatelessWorker]
public sealed class PingGrain(TimeProvider time) : Grain, IPingGrain
{
    Task<DateTime> IPingGrain.Ping() => Task.FromResult(time.GetUtcNow().UtcDateTime);
}
