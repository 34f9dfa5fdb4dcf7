using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Domain.Tests.Campaigns;

/// <summary>One thing that happens to the user in a <see cref="CapScenario"/>.</summary>
public abstract record CapStep;

/// <summary>A campaign asks to push one occurrence to the user; the message was due <see cref="Lateness"/> ago.</summary>
public sealed record RequestStep(string Campaign, string Occurrence, MessageCategory Category, MessagePriority Priority, TimeSpan TimeToLive, TimeSpan Lateness) : CapStep
{
    public override string ToString() => $"request {Campaign}/{Occurrence} {Category} {Priority} ttl {TimeToLive} late {Lateness}";
}

/// <summary>The clock moves on.</summary>
public sealed record AdvanceStep(TimeSpan By) : CapStep
{
    public override string ToString() => $"advance {By}";
}

/// <summary>The user gives or withdraws consent to one category.</summary>
public sealed record ConsentStep(MessageCategory Category, bool Given) : CapStep
{
    public override string ToString() => $"{Category} consent {Given}";
}

/// <summary>A push token is registered or removed.</summary>
public sealed record DeviceStep(string Token, bool Added) : CapStep
{
    public override string ToString() => $"device {Token} {(Added ? "added" : "removed")}";
}
