using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;

namespace Orleans.Segments.Grains.Tests;

/// <summary>The silo's compiled copy of an app's segments, against a catalog whose answers the test releases one by one.</summary>
public sealed class AppModelCacheTests
{
    [Fact]
    public async Task ASnapshotReadBeforeAnInvalidationIsNotKeptAfterIt()
    {
        var catalog = new ScriptedCatalog();
        var cache = new AppModelCache(GrainFactoryOf(catalog), new FakeTimeProvider(DateTimeOffset.UnixEpoch));

        // A user grain asks while the catalog is at version 1; the segment is defined before the answer arrives.
        var stale = cache.GetAsync("shop").AsTask();
        cache.Invalidate("shop");
        catalog.Answer(1);
        Assert.Equal(1, (await stale).Segments.Version); // that caller gets what it asked for...

        // ...but the next one, a user created after the change, must not be served version 1 as fresh.
        var next = cache.GetAsync("shop").AsTask();
        catalog.Answer(2);
        Assert.Equal(2, (await next).Segments.Version);
    }

    private static IGrainFactory GrainFactoryOf(ISegmentCatalogGrain catalog)
    {
        var factory = DispatchProxy.Create<IGrainFactory, Forward>();
        ((Forward)(object)factory).Grain = catalog;
        return factory;
    }

    /// <summary>An <see cref="IGrainFactory"/> that hands out the one catalog grain.</summary>
    public class Forward : DispatchProxy
    {
        public object? Grain { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IGrainFactory.GetGrain) ? Grain : throw new NotSupportedException(targetMethod.Name);
    }

    /// <summary>A catalog whose snapshots are answered when the test says, in the order they were asked for.</summary>
    private sealed class ScriptedCatalog : ISegmentCatalogGrain
    {
        private readonly Queue<TaskCompletionSource<CatalogSnapshot>> asked = new();

        public void Answer(long version) => asked.Dequeue().SetResult(new CatalogSnapshot(version, [], [], []));

        public Task<CatalogSnapshot> GetSnapshot()
        {
            var answer = new TaskCompletionSource<CatalogSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            asked.Enqueue(answer);
            return answer.Task;
        }

        public Task<CatalogChange> PutSegment(SegmentDefinition definition) => throw new NotSupportedException();

        public Task<CatalogChange> DeleteSegment(string id) => throw new NotSupportedException();

        public Task<CatalogChange> PutGeofence(Geofence geofence) => throw new NotSupportedException();

        public Task<CatalogChange> DeleteGeofence(string id) => throw new NotSupportedException();
    }
}
