using Microsoft.Extensions.Configuration;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Grains.Tests;

/// <summary>The app's global control group setting: bound per app, and refused at start-up outside 0 to 50 %.</summary>
public sealed class ControlGroupSettingTests
{
    private static SegmentsOptions Bind(string percent)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Segments:Apps:shop:Campaigns:ControlGroupPercent"] = percent }).Build();
        var options = new SegmentsOptions();
        configuration.GetSection(SegmentsOptions.Section).Bind(options);
        return options;
    }

    [Fact]
    public void APercentageFromZeroToFiftyIsTakenPerApp()
    {
        var options = Bind("12.5");

        Assert.Equal(12.5, options.Apps["shop"].Campaigns.ControlGroupPercent);
        Assert.True(new SegmentsOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("50.1")]
    [InlineData("NaN")]
    public void AnythingElseStopsTheServerNamingTheSetting(string percent)
    {
        var result = new SegmentsOptionsValidator().Validate(null, Bind(percent));

        Assert.Contains("Segments:Apps:shop:Campaigns:ControlGroupPercent must be between 0 and 50.", result.Failures ?? []);
    }
}
