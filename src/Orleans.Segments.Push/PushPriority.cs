namespace Orleans.Segments.Push;

/// <summary>How urgently APNs or FCM should deliver a notification.</summary>
public enum PushPriority : byte
{
    /// <summary>Deliver now, waking the device (APNs 10, FCM <c>HIGH</c>).</summary>
    High = 0,

    /// <summary>Deliver when convenient for the device's power (APNs 5, FCM <c>NORMAL</c>).</summary>
    Normal = 1,
}
