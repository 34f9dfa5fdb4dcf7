using Orleans.Segments.Domain.Events;
using Orleans.Segments.Push.StandIns;

namespace Orleans.Segments.Push.Tests;

/// <summary>Invariant 5 end to end: a token APNs answers 410 or FCM UNREGISTERED is never used again, unless registered again later.</summary>
[Collection(DeliveryCollection.Name)]
public sealed class TokenLifecycleTests(DeliveryFixture fixture)
{
    [Fact]
    public async Task TokenApnsCallsUnregisteredIsNotUsedAgainAndRevivesWhenRegisteredLater()
    {
        var user = DeliveryFixture.NewUser();
        var phone = new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios);
        await fixture.User(user).RegisterDevice(phone);
        fixture.Time.Advance(TimeSpan.FromHours(1));
        var diedAt = fixture.Time.GetUtcNow().AddMinutes(-10);
        fixture.Apns.Script(phone.Token, ApnsAnswer.Unregistered(diedAt));

        var first = await fixture.Delivery.SendToUser(user, Messages.Alert);
        var second = await fixture.Delivery.SendToUser(user, Messages.Alert);
        var profile = await fixture.User(user).GetProfile();

        Assert.True(Assert.IsType<PermanentFailure>(Assert.Single(first.Devices).Outcome).TokenDead);
        Assert.True(second.Unreachable);
        Assert.Equal(1, fixture.Apns.ReceivedFor(phone.Token));
        Assert.Equal(diedAt.UtcDateTime, Assert.Single(profile!.Devices).InvalidatedAt);
        Assert.Equal((false, diedAt.UtcDateTime), (profile.Reachability.Reachable, profile.Reachability.UnreachableSince));

        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        await fixture.User(user).RegisterDevice(phone);
        var afterRegistration = await fixture.Delivery.SendToUser(user, Messages.Alert);

        Assert.IsType<Delivered>(Assert.Single(afterRegistration.Devices).Outcome);
        Assert.Equal(2, fixture.Apns.ReceivedFor(phone.Token));
        Assert.True((await fixture.User(user).GetProfile())!.Reachability.Reachable);
    }

    [Fact]
    public async Task UnregisteredTimestampOlderThanTheLastRegistrationLeavesTheTokenLive()
    {
        var user = DeliveryFixture.NewUser();
        var phone = new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios);
        var staleDeath = fixture.Time.GetUtcNow().AddDays(-1);
        await fixture.User(user).RegisterDevice(phone);
        fixture.Apns.Script(phone.Token, ApnsAnswer.Unregistered(staleDeath));

        var report = await fixture.Delivery.SendToUser(user, Messages.Alert);

        Assert.IsType<PermanentFailure>(Assert.Single(report.Devices).Outcome);
        Assert.Equal([phone], await fixture.User(user).GetLiveDevices());
    }

    [Fact]
    public async Task TokenFcmCallsUnregisteredIsNotUsedAgainWhileOtherDevicesStillGetTheMessage()
    {
        var user = DeliveryFixture.NewUser();
        var android = new DeviceToken(Credentials.NewFcmToken(), PushPlatform.Android);
        var phone = new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios);
        await fixture.User(user).RegisterDevice(android);
        await fixture.User(user).RegisterDevice(phone);
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        fixture.Fcm.Script(android.Token, FcmAnswer.Unregistered);

        var first = await fixture.Delivery.SendToUser(user, Messages.Alert);
        var second = await fixture.Delivery.SendToUser(user, Messages.Alert);

        Assert.True(first.Delivered);
        Assert.Equal(2, first.Devices.Length);
        Assert.Equal(PushPlatform.Ios, Assert.Single(second.Devices).Platform);
        Assert.Equal(1, fixture.Fcm.ReceivedFor(android.Token));
        Assert.Equal(2, fixture.Apns.ReceivedFor(phone.Token));
        Assert.Equal([phone], await fixture.User(user).GetLiveDevices());
    }

    [Fact]
    public async Task PayloadErrorDoesNotKillTheToken()
    {
        var user = DeliveryFixture.NewUser();
        var android = new DeviceToken(Credentials.NewFcmToken(), PushPlatform.Android);
        await fixture.User(user).RegisterDevice(android);
        fixture.Fcm.Script(android.Token, FcmAnswer.InvalidPayload);

        var report = await fixture.Delivery.SendToUser(user, Messages.Alert);

        Assert.False(Assert.IsType<PermanentFailure>(Assert.Single(report.Devices).Outcome).TokenDead);
        Assert.Equal([android], await fixture.User(user).GetLiveDevices());
    }
}
