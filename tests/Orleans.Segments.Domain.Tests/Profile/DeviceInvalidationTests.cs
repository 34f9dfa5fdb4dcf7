using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Tests.Profile;

public sealed class DeviceInvalidationTests
{
    private static readonly DeviceToken Phone = new(new string('a', 64), PushPlatform.Ios);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private readonly UserProfileState state = new();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void InvalidatedTokenIsDeadSinceTheProvidersTime()
    {
        ProfileUpdater.RegisterDevice(state, Phone, Now, UserModelPolicy.Default);
        time.Advance(TimeSpan.FromDays(1));

        Assert.True(ProfileUpdater.InvalidateDevice(state, Phone.Token, Now));

        var device = Assert.Single(state.Devices);
        Assert.False(device.IsLive);
        Assert.Equal(Now, device.InvalidatedAt);
    }

    [Fact]
    public void InvalidationOlderThanTheLastRegistrationIsIgnored()
    {
        var providerSaysDeadAt = Now;
        time.Advance(TimeSpan.FromHours(1));
        ProfileUpdater.RegisterDevice(state, Phone, Now, UserModelPolicy.Default);

        Assert.False(ProfileUpdater.InvalidateDevice(state, Phone.Token, providerSaysDeadAt));
        Assert.True(Assert.Single(state.Devices).IsLive);
    }

    [Fact]
    public void DeadTokenRegisteredAgainAfterItsDeathIsLiveAgain()
    {
        ProfileUpdater.RegisterDevice(state, Phone, Now, UserModelPolicy.Default);
        time.Advance(TimeSpan.FromDays(1));
        ProfileUpdater.InvalidateDevice(state, Phone.Token, Now);
        time.Advance(TimeSpan.FromMinutes(1));

        ProfileUpdater.RegisterDevice(state, Phone, Now, UserModelPolicy.Default);

        Assert.True(Assert.Single(state.Devices).IsLive);
    }

    [Fact]
    public void RegistrationReplayedFromBeforeTheDeathDoesNotRevive()
    {
        var before = Now;
        ProfileUpdater.RegisterDevice(state, Phone, Now, UserModelPolicy.Default);
        time.Advance(TimeSpan.FromDays(1));
        ProfileUpdater.InvalidateDevice(state, Phone.Token, Now);

        ProfileUpdater.RegisterDevice(state, Phone, before.AddMinutes(5), UserModelPolicy.Default);

        Assert.False(Assert.Single(state.Devices).IsLive);
    }

    [Fact]
    public void SecondInvalidationKeepsTheLaterTime()
    {
        ProfileUpdater.RegisterDevice(state, Phone, Now, UserModelPolicy.Default);
        var first = Now.AddHours(1);
        var second = Now.AddHours(2);
        ProfileUpdater.InvalidateDevice(state, Phone.Token, second);

        Assert.False(ProfileUpdater.InvalidateDevice(state, Phone.Token, first));
        Assert.Equal(second, state.Devices[0].InvalidatedAt);
    }

    [Fact]
    public void UnknownTokenChangesNothing()
    {
        Assert.False(ProfileUpdater.InvalidateDevice(state, Phone.Token, Now));
        Assert.Empty(state.Devices);
    }
}
