using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Tests.Profile;

public sealed class MessageIdWindowTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private readonly MessageIdWindow window = new();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [Fact]
    public void HashIsStableAndTellsIdsApart()
    {
        Assert.Equal(MessageIdWindow.Hash("m-1"), MessageIdWindow.Hash("m-1"));
        Assert.NotEqual(MessageIdWindow.Hash("m-1"), MessageIdWindow.Hash("m-2"));
    }

    [Fact]
    public void RemembersAnIdWithinTheWindow()
    {
        var policy = new DedupePolicy();
        window.Add(MessageIdWindow.Hash("m-1"), Now, policy);
        time.Advance(policy.Window - TimeSpan.FromMinutes(1));
        window.Add(MessageIdWindow.Hash("m-2"), Now, policy);

        Assert.True(window.Contains(MessageIdWindow.Hash("m-1")));
        Assert.True(window.Contains(MessageIdWindow.Hash("m-2")));
        Assert.False(window.Contains(MessageIdWindow.Hash("m-3")));
    }

    [Fact]
    public void ForgetsAnIdOlderThanTheWindow()
    {
        var policy = new DedupePolicy();
        window.Add(MessageIdWindow.Hash("m-1"), Now, policy);
        time.Advance(policy.Window + TimeSpan.FromTicks(1));

        window.Add(MessageIdWindow.Hash("m-2"), Now, policy);

        Assert.False(window.Contains(MessageIdWindow.Hash("m-1")));
        Assert.Equal([Now.Ticks], window.ArrivedAt);
    }

    [Fact]
    public void ForgetsTheOldestIdsBeyondCapacity()
    {
        var policy = new DedupePolicy { Capacity = 3 };
        foreach (string id in new[] { "m-1", "m-2", "m-3", "m-4" })
        {
            window.Add(MessageIdWindow.Hash(id), Now, policy);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.False(window.Contains(MessageIdWindow.Hash("m-1")));
        Assert.Equal(3, window.Hashes.Count);
        Assert.Equal(window.Hashes.Count, window.ArrivedAt.Count);
    }
}
