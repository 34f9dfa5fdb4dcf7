using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;
using static Orleans.Segments.Domain.Tests.Profile.UserEvents;

namespace Orleans.Segments.Domain.Tests.Profile;

public sealed class DeviceRegistrationTests
{
    private static readonly DeviceToken Phone = new(new string('a', 64), PushPlatform.Ios);
    private static readonly DeviceToken Tablet = new(new string('b', 64), PushPlatform.Ios);
    private static readonly DeviceToken Android = new(new string('c', 40), PushPlatform.Android);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private readonly UserProfileState state = new();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void DeviceSentWithAnEventIsRegisteredAtTheEventTime()
    {
        var at = Now;
        time.Advance(TimeSpan.FromMinutes(3));

        ProfileUpdater.Apply(state, [Track("App Opened", at) with { Device = Phone }], Now, UserModelPolicy.Default);

        var device = Assert.Single(state.Devices);
        Assert.Equal((Phone.Token, PushPlatform.Ios, at, at), (device.Token, device.Platform, device.RegisteredAt, device.LastSeenAt));
        Assert.True(device.IsLive);
    }

    [Fact]
    public void RegisteringAgainRefreshesLastSeen()
    {
        var first = Now;
        ProfileUpdater.RegisterDevice(state, Phone, first, UserModelPolicy.Default);
        time.Advance(TimeSpan.FromDays(1));

        ProfileUpdater.RegisterDevice(state, Phone, Now, UserModelPolicy.Default);

        var device = Assert.Single(state.Devices);
        Assert.Equal((first, Now), (device.RegisteredAt, device.LastSeenAt));
    }

    [Fact]
    public void InvalidatedTokenRegisteredAgainLaterIsLive()
    {
        ProfileUpdater.RegisterDevice(state, Phone, Now, UserModelPolicy.Default);
        time.Advance(TimeSpan.FromDays(1));
        state.Devices[0].InvalidatedAt = Now;
        time.Advance(TimeSpan.FromDays(1));

        ProfileUpdater.RegisterDevice(state, Phone, Now, UserModelPolicy.Default);

        Assert.True(Assert.Single(state.Devices).IsLive);
    }

    [Fact]
    public void LateRegistrationOlderThanTheInvalidationLeavesTheTokenDead()
    {
        var before = Now;
        ProfileUpdater.RegisterDevice(state, Phone, Now, UserModelPolicy.Default);
        time.Advance(TimeSpan.FromDays(1));
        state.Devices[0].InvalidatedAt = Now;

        ProfileUpdater.RegisterDevice(state, Phone, before + TimeSpan.FromHours(1), UserModelPolicy.Default);

        Assert.False(Assert.Single(state.Devices).IsLive);
    }

    [Fact]
    public void MaxDevicesEvictsTheLeastRecentlySeen()
    {
        var policy = new UserModelPolicy { MaxDevices = 2 };
        foreach (var device in new[] { Phone, Tablet, Android })
        {
            ProfileUpdater.RegisterDevice(state, device, Now, policy);
            time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal([Tablet.Token, Android.Token], state.Devices.Select(d => d.Token));
    }

    [Fact]
    public void MaxDevicesEvictsADeadTokenFirst()
    {
        var policy = new UserModelPolicy { MaxDevices = 2 };
        ProfileUpdater.RegisterDevice(state, Phone, Now, policy);
        time.Advance(TimeSpan.FromHours(1));
        ProfileUpdater.RegisterDevice(state, Tablet, Now, policy);
        state.Devices[1].InvalidatedAt = Now;
        time.Advance(TimeSpan.FromHours(1));

        ProfileUpdater.RegisterDevice(state, Android, Now, policy);

        Assert.Equal([Phone.Token, Android.Token], state.Devices.Select(d => d.Token));
    }

    [Fact]
    public void RemovesADeviceByToken()
    {
        ProfileUpdater.RegisterDevice(state, Phone, Now, UserModelPolicy.Default);

        Assert.True(ProfileUpdater.RemoveDevice(state, Phone.Token));
        Assert.False(ProfileUpdater.RemoveDevice(state, Phone.Token));
        Assert.Empty(state.Devices);
    }
}
