namespace Orleans.Segments.Domain.Events;

/// <summary>The push service a device token belongs to.</summary>
public enum PushPlatform : byte
{
    /// <summary>Apple Push Notification service.</summary>
    Ios = 0,
    /// <summary>Firebase Cloud Messaging.</summary>
    Android = 1,
}
