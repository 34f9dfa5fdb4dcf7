using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Segments.Benchmarks.Production;

/// <summary>
/// Orleans' default grain-storage serializer (Newtonsoft JSON with type names), Orleans' binary one, and the one
/// the engine registers (MessagePack for profiles, see <c>StoredStateFormat</c>), on a realistic profile. Both are taken from a silo's own services, as providers get them.
/// </summary>
public sealed class StorageSerializers : IDisposable
{
    private readonly IHost host;

    public StorageSerializers()
    {
        int[] ports = [FreePort(), FreePort()];
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo.UseLocalhostClustering(ports[0], ports[1]));
        host = builder.Build();
        Default = host.Services.GetRequiredService<IGrainStorageSerializer>();
        Binary = new OrleansGrainStorageSerializer(host.Services.GetRequiredService<Serializer>());
        Engine = SegmentsStorageSerializer.Create(host.Services);
    }

    /// <summary>What a silo uses unless told otherwise (<c>JsonGrainStorageSerializer</c>).</summary>
    public IGrainStorageSerializer Default { get; }

    /// <summary>Orleans' binary serializer, as the engine stored profiles before the tagged format.</summary>
    public IGrainStorageSerializer Binary { get; }

    /// <summary>What the engine registers for every provider.</summary>
    public IGrainStorageSerializer Engine { get; }

    public void Dispose() => host.Dispose();

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>The same comparison under BenchmarkDotNet: <c>dotnet run -c Release --project tests/Orleans.Segments.Benchmarks -- production serializer-bdn</c>.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class StorageSerializerBenchmarks
{
    private StorageSerializers serializers = null!;
    private UserProfileState profile = null!;
    private BinaryData json = null!;
    private BinaryData binary = null!;
    private BinaryData engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        serializers = new StorageSerializers();
        profile = SampleProfiles.Typical();
        json = serializers.Default.Serialize(profile);
        binary = serializers.Binary.Serialize(profile);
        engine = serializers.Engine.Serialize(profile);
    }

    [GlobalCleanup]
    public void Cleanup() => serializers.Dispose();

    [Benchmark(Baseline = true)]
    public BinaryData SerializeNewtonsoftJson() => serializers.Default.Serialize(profile);

    [Benchmark]
    public BinaryData SerializeOrleansBinary() => serializers.Binary.Serialize(profile);

    [Benchmark]
    public UserProfileState DeserializeNewtonsoftJson() => serializers.Default.Deserialize<UserProfileState>(json)!;

    [Benchmark]
    public UserProfileState DeserializeOrleansBinary() => serializers.Binary.Deserialize<UserProfileState>(binary)!;

    [Benchmark]
    public BinaryData SerializeEngine() => serializers.Engine.Serialize(profile);

    [Benchmark]
    public UserProfileState DeserializeEngine() => serializers.Engine.Deserialize<UserProfileState>(engine)!;
}
