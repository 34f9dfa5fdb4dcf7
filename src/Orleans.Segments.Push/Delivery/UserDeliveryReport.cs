namespace Orleans.Segments.Push.Delivery;

/// <summary>What became of a notification to every live device of one user.</summary>
[GenerateSerializer, Immutable, Alias("segments.UserDeliveryReport")]
public sealed record UserDeliveryReport([property: Id(0)] DeviceOutcome[] Devices)
{
    /// <summary>True when at least one device's provider took the notification.</summary>
    public bool Delivered => Devices.Any(d => d.Outcome is Push.Delivered);

    /// <summary>True when the user had no live device to send to.</summary>
    public bool Unreachable => Devices.Length == 0;
}
