using Orleans.Segments.Domain.Lifecycle;

namespace Orleans.Segments.Domain.Tests.Lifecycle;

public sealed class LifecycleStageNamesTests
{
    [Theory]
    [InlineData(LifecycleStage.New, "new")]
    [InlineData(LifecycleStage.Active, "active")]
    [InlineData(LifecycleStage.Loyal, "loyal")]
    [InlineData(LifecycleStage.AtRisk, "at_risk")]
    [InlineData(LifecycleStage.Lapsed, "lapsed")]
    public void WireNameRoundTrips(LifecycleStage stage, string wire)
    {
        Assert.Equal(wire, stage.ToWire());
        Assert.True(LifecycleStageNames.TryParse(wire, out var parsed));
        Assert.Equal(stage, parsed);
    }

    [Fact]
    public void UnknownWireNameDoesNotParse()
    {
        Assert.False(LifecycleStageNames.TryParse("AtRisk", out _));
    }
}
