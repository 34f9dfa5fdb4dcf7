using Orleans.Segments.Hosting;

namespace Orleans.Segments.Journeys;

[GenerateSerializer, Alias("segments.JourneyEntryGateState")]
public sealed class JourneyEntryGateState
{
    [Id(0)] public int Admitted { get; set; }
}

/// <summary>
/// Counts a journey's entries of one UTC day across all its users. An entry is admitted only once its count is
/// stored, so a restart never lets more in than the limit; an entry counted whose user then failed to persist is
/// one fewer entry that day, never one more.
/// </summary>
public sealed class JourneyEntryGateGrain(
    [PersistentState("gate", SegmentsStorage.Name)] IPersistentState<JourneyEntryGateState> gate) : Grain, IJourneyEntryGateGrain
{
    public static string Key(string appId, string journeyId, DateTime day) => $"{appId}/{journeyId}/{day:yyyy-MM-dd}";

    async Task<bool> IJourneyEntryGateGrain.TryAdmit(int limit)
    {
        if (gate.State.Admitted >= limit) return false;
        gate.State.Admitted++;
        try
        {
            await gate.WriteStateAsync();
        }
        catch
        {
            gate.State.Admitted--;
            throw;
        }

        return true;
    }
}
