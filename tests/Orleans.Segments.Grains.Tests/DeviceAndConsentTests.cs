using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class DeviceAndConsentTests(ClusterFixture fixture)
{
    private static readonly string IosToken = string.Concat(Enumerable.Repeat("0123456789abcdef", 4));

    [Fact]
    public async Task RegisteredDeviceIsShownRedactedAndMakesTheUserReachable()
    {
        var key = ClusterFixture.NewUser();

        var device = await fixture.User(key).RegisterDevice(new DeviceToken(IosToken, PushPlatform.Ios));
        var profile = await fixture.User(key).GetProfile();

        Assert.Equal("…cdef", device.Token);
        Assert.Equal("ios", Assert.Single(profile!.Devices).Platform);
        Assert.True(profile.Reachability.Reachable);
    }

    [Fact]
    public async Task RemovedDeviceLeavesTheUserUnreachable()
    {
        var key = ClusterFixture.NewUser();
        await fixture.User(key).RegisterDevice(new DeviceToken(IosToken, PushPlatform.Ios));

        Assert.True(await fixture.User(key).RemoveDevice(IosToken));
        Assert.False(await fixture.User(key).RemoveDevice(IosToken));
        var profile = await fixture.User(key).GetProfile();
        Assert.Empty(profile!.Devices);
        Assert.False(profile.Reachability.Reachable);
    }

    [Fact]
    public async Task ConsentsChangeOnlyWhereGiven()
    {
        var key = ClusterFixture.NewUser();

        var first = await fixture.User(key).SetSubscriptions(true, null);
        var second = await fixture.User(key).SetSubscriptions(null, false);

        Assert.True(first.Marketing);
        Assert.True(first.Transactional);
        Assert.True(second.Marketing);
        Assert.False(second.Transactional);
        Assert.Equal(fixture.Now, second.TransactionalChangedAt);
    }
}
