using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

public sealed class VersionOrderTests
{
    [Theory]
    [InlineData("5.9.3", "5.10", -1)]
    [InlineData("5.10", "5.9.3", 1)]
    [InlineData("5.10", "5.10.0", 0)]
    [InlineData("5.10.0.0", "5.10", 0)]
    [InlineData("1.2", "1.10", -1)]
    [InlineData("10", "9.99.99", 1)]
    [InlineData("5.2.0-beta.1", "5.2.0", -1)]
    [InlineData("5.2.0-beta.2", "5.2.0-beta.10", -1)]
    [InlineData("5.2.0-alpha", "5.2.0-beta", -1)]
    [InlineData("5.2.0-1", "5.2.0-alpha", -1)]
    [InlineData("5.2.0-beta", "5.2.0-beta.1", -1)]
    [InlineData("5.2.0+45", "5.2.0+46", 0)]
    [InlineData("5.2 (45)", "5.2", 0)]
    [InlineData("v5.2", "5.2", 0)]
    [InlineData("17.4.1", "17", 1)]
    [InlineData("007", "7", 0)]
    public void OrdersByNumbersThenPreRelease(string a, string b, int expected)
    {
        Assert.True(VersionOrder.TryCompare(a, b, out int order));
        Assert.Equal(expected, order);
        Assert.True(VersionOrder.TryCompare(b, a, out int reverse));
        Assert.Equal(-expected, reverse);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("")]
    [InlineData(".5")]
    [InlineData("beta")]
    public void AValueWithoutALeadingNumberCannotBeCompared(string value)
    {
        Assert.False(VersionOrder.TryCompare(value, "5.2", out _));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("5.2")]
    [InlineData("5.10.1")]
    [InlineData("5.2.0-beta.1")]
    [InlineData("5.2.0+45")]
    [InlineData("1.2.3.4.5.6.7.8")]
    public void AcceptsWellFormedVersions(string version)
    {
        Assert.Null(VersionOrder.Problem(version));
    }

    [Theory]
    [InlineData("5..2", "expected a number at position 3")]
    [InlineData("5.2.", "expected a number at position 5")]
    [InlineData(".5", "expected a number at position 1")]
    [InlineData("five", "expected a number at position 1")]
    [InlineData("5.2 beta", "unexpected ' ' at position 4")]
    [InlineData("5.2-", "nothing after '-'")]
    [InlineData("5.2-beta..1", "unexpected '.'")]
    [InlineData("1.2.3.4.5.6.7.8.9", "more than 8 parts")]
    [InlineData("1234567890", "more than 9 digits")]
    [InlineData("", "at least one number")]
    public void RefusesMalformedVersionsWithTheReason(string version, string reason)
    {
        Assert.Contains(reason, VersionOrder.Problem(version));
    }

    [Fact]
    public void RefusesAnOverlongVersion()
    {
        Assert.Contains("at most 64 characters", VersionOrder.Problem(string.Join('.', Enumerable.Repeat("1", 150))));
    }

    [Fact]
    public void ComparingDoesNotAllocate()
    {
        VersionOrder.TryCompare("5.9.3-beta.2", "5.9.3-beta.10", out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) VersionOrder.TryCompare("5.9.3-beta.2", "5.9.3-beta.10", out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
