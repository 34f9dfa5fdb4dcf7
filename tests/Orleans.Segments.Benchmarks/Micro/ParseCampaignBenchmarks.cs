using System.Text;
using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Json;
using BenchmarkDotNet.Attributes;
using Orleans.Segments.Server.Apis;

namespace Orleans.Segments.Benchmarks.Micro;

/// <summary>
/// The API's read of a <c>PUT /v1/campaigns/{id}</c> body into a checked definition, as the route does it: a body
/// of the contract's shape straight from its bytes, anything else parsed in full so that every wrong field is named
/// (the document's example, every top-level field, two variants; and the same with five wrong fields).
/// </summary>
[MemoryDiagnoser]
public class ParseCampaignBenchmarks
{
    private byte[] valid = [];
    private byte[] invalid = [];

    [GlobalSetup]
    public void Setup()
    {
        valid = Encoding.UTF8.GetBytes(ApiDocs.CampaignExample);
        invalid = Encoding.UTF8.GetBytes(ApiDocs.CampaignExample
            .Replace("\"priority\": \"normal\"", "\"priority\": 5", StringComparison.Ordinal)
            .Replace("\"holdoutPercent\": 5", "\"holdoutPercent\": \"5\"", StringComparison.Ordinal)
            .Replace("\"limit\": 2", "\"limit\": \"two\"", StringComparison.Ordinal)
            .Replace("\"timeToLive\": \"12h\"", "\"timeToLive\": \"12h\", \"ttl\": 1", StringComparison.Ordinal)
            .Replace("\"sale\": \"spring\"", "\"sale\": 1", StringComparison.Ordinal));
        if (Read(valid) != 0) throw new InvalidOperationException("The example campaign does not read.");
        if (Read(invalid) < 5) throw new InvalidOperationException($"The refused campaign gives {Read(invalid)} errors, not 5.");
    }

    [Benchmark(Description = "Campaign definition, every field")]
    public int Valid() => Read(valid);

    [Benchmark(Description = "Campaign definition, 5 wrong fields")]
    public int Invalid() => Read(invalid);

    private static int Read(byte[] body)
    {
        var errors = new List<string>();
        if (ContractBody.TryRead(body, ContractsJson.Default.CampaignInput) is { } input)
        {
            CampaignContract.ToDefinition("spring-sale", input, errors);
            return errors.Count;
        }

        if (!JsonInput.TryParse(body, JsonBody.MaxDepth, out var document, out string? error)) throw new InvalidOperationException(error);
        using (document)
        {
            CampaignContract.Read("spring-sale", document!.RootElement.Clone(), errors);
        }

        return errors.Count;
    }
}
