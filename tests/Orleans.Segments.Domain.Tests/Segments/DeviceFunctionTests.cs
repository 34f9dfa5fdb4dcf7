using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class DeviceFunctionTests
{
    private static readonly ClientContext IPhone = new()
    {
        Key = "iphone",
        DeviceType = "ios",
        Manufacturer = "Apple",
        Model = "iPhone15,2",
        AppVersion = "5.9.3",
        AppBuild = "45",
        OsName = "iOS",
        OsVersion = "17.4",
        Locale = "de-DE",
        LibraryName = "analytics-swift",
    };

    private static readonly ClientContext IPad = IPhone with { Key = "ipad", Model = "iPad13,4", AppVersion = "5.10.1", OsName = "iPadOS", Locale = "en-US" };

    private readonly TestUser user = new();

    [Fact]
    public void VersionsCompareByTheirNumbersNotAsText()
    {
        user.UsesApp(IPhone);

        Assert.True(user.Holds("""app_version < "5.10" """));
        Assert.True(user.Holds("""app_version >= "5.9" """));
        Assert.True(user.Holds("""app_version = "5.9.3.0" """));
        Assert.False(user.Holds("""app_version > "5.9.3" """));
        Assert.True(user.Holds("""os_version >= "17" and os_version < "17.10" """));
        Assert.True(user.Holds("""app_build < "100" """));
    }

    [Fact]
    public void ThePleaseUpdateAudienceIsIosUsersBelowAVersion()
    {
        user.UsesApp(IPhone);

        Assert.True(user.Holds("""platform = "ios" and app_version < "5.2" or platform = "ios" and app_version < "6" """));
        Assert.False(user.Holds("""platform = "android" """));
    }

    [Fact]
    public void TheMostRecentlySeenDeviceCounts()
    {
        user.UsesApp(IPhone).Waits(TimeSpan.FromHours(1)).UsesApp(IPad);

        Assert.True(user.Holds("""app_version = "5.10.1" and device_model = "iPad13,4" and os_name = "iPadOS" and locale = "en-US" and language = "en" """));

        user.Waits(TimeSpan.FromHours(1)).UsesApp(IPhone);

        Assert.True(user.Holds("""app_version = "5.9.3" and device_model = "iPhone15,2" and language = "de" """));
        Assert.Equal(2, user.State.AppDevices.Count);
    }

    [Fact]
    public void ALateEventDoesNotMakeAnOlderDescriptionCurrent()
    {
        user.UsesApp(IPad);
        var late = user.Event(EventKind.Track) with { Name = "Application Opened", Timestamp = user.Now - TimeSpan.FromDays(2), Client = IPad with { AppVersion = "4.0" } };

        user.Send(late);

        Assert.True(user.Holds("""app_version = "5.10.1" """));
    }

    [Fact]
    public void AFieldALaterEventLeavesOutKeepsItsValue()
    {
        user.UsesApp(IPhone).Waits(TimeSpan.FromMinutes(1)).UsesApp(new ClientContext { Key = "iphone", AppVersion = "5.9.4" });

        Assert.True(user.Holds("""app_version = "5.9.4" and device_model = "iPhone15,2" and locale = "de-DE" """));
    }

    [Fact]
    public void AUserWithoutAnyDeviceMatchesNoDeviceCondition()
    {
        user.Does("Signed Up");

        Assert.False(user.Holds("""app_version < "99" """));
        Assert.False(user.Holds("""platform != "ios" """));
        Assert.True(user.Holds("""not app_version >= "0" """));
    }

    [Fact]
    public void AVersionThatCannotBeReadMatchesNoVersionCondition()
    {
        user.UsesApp(IPhone with { AppVersion = "unknown" });

        Assert.False(user.Holds("""app_version < "99" """));
        Assert.False(user.Holds("""app_version >= "0" """));
    }

    [Theory]
    [InlineData("android", null, "android")]
    [InlineData("ipados", null, "ios")]
    [InlineData("macos", null, "macos")]
    [InlineData(null, "Android", "android")]
    [InlineData(null, null, "web")]
    public void PlatformIsNormalised(string? type, string? os, string platform)
    {
        user.UsesApp(new ClientContext { Key = "d", DeviceType = type, OsName = os, LibraryName = "analytics.js", Locale = "en" });

        Assert.True(user.Holds($"platform = \"{platform}\""));
    }

    [Fact]
    public void OnlyTheMostRecentDevicesAreKept()
    {
        for (int i = 0; i < 8; i++) user.Waits(TimeSpan.FromMinutes(1)).UsesApp(IPhone with { Key = $"d{i}" });

        Assert.Equal(user.Policy.MaxAppDevices, user.State.AppDevices.Count);
        Assert.Equal("d7", user.State.AppDevices[^1].Context.Key);
        Assert.DoesNotContain(user.State.AppDevices, d => d.Context.Key == "d0");
    }

    [Theory]
    [InlineData("""app_version < "5..2" """, 1, 15, "expected a number at position 3")]
    [InlineData("""app_version < 5.2""", 1, 15, "compare it with a version in quotes")]
    [InlineData("""os_name < "iOS" """, 1, 9, "compares numbers, durations and versions")]
    public void MalformedVersionConditionsPointAtTheirColumn(string rule, int line, int column, string message)
    {
        var error = Rejected.Rule(rule);

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AnOverlongVersionIsRefused()
    {
        Assert.Contains("at most 64 characters", Rejected.Rule($"app_version < \"{new string('1', 300)}\"").Message);
    }
}
