namespace Orleans.Segments.Domain.Campaigns;

/// <summary>A campaign's sends, opens, conversions and opt-outs in one UTC hour.</summary>
[GenerateSerializer, Alias("segments.HourCounts")]
public sealed class HourCounts
{
    /// <summary>The hour, as hours since 0001-01-01 UTC.</summary>
    [Id(0)] public long Hour { get; set; }

    [Id(1)] public long Sent { get; set; }

    [Id(2)] public long Opened { get; set; }

    [Id(3)] public long Converted { get; set; }

    [Id(4)] public long OptedOut { get; set; }

    public DateTime Start => new(Hour * TimeSpan.TicksPerHour, DateTimeKind.Utc);

    public void Add(ReportKind kind)
    {
        switch (kind)
        {
            case ReportKind.Sent: Sent++; break;
            case ReportKind.Opened: Opened++; break;
            case ReportKind.Converted: Converted++; break;
            case ReportKind.OptedOut: OptedOut++; break;
        }
    }

    public void Merge(HourCounts other)
    {
        Sent += other.Sent;
        Opened += other.Opened;
        Converted += other.Converted;
        OptedOut += other.OptedOut;
    }
}
