namespace Orleans.Segments;

/// <summary>Answers at once; readiness checks call it to prove the silo accepts grain calls.</summary>
[Alias("segments.IPingGrain")]
public interface IPingGrain : IGrainWithIntegerKey
{
    [Alias("Ping")]
    Task<DateTime> Ping();
}
