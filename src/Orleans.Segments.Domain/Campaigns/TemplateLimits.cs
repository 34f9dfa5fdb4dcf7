using Fluid;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// What one rendering of one message template may cost (<c>Segments:Templates</c>). Enforced by Fluid while it
/// renders: a range or a split is refused before it is built, a string before it grows past the output limit, a
/// loop when it runs out of steps, and any rendering when its time is up.
/// </summary>
public sealed class TemplateLimits
{
    private TemplateOptions? options;

    /// <summary>The most statements and loop iterations one rendering runs. Default: 10,000.</summary>
    public int MaxSteps { get; set; } = 10_000;

    /// <summary>The most characters a rendering (or any string it builds: a capture, an assign) may have. Default: 4,000 (a push is at most 4 KB).</summary>
    public int MaxOutputCharacters { get; set; } = 4_000;

    /// <summary>The most items a range, split or other collection built while rendering may have. Default: 1,000.</summary>
    public int MaxCollectionItems { get; set; } = 1_000;

    /// <summary>The deepest nesting of blocks. Default: 10.</summary>
    public int MaxRecursion { get; set; } = 10;

    /// <summary>
    /// How long one rendering may take before it is stopped: a backstop behind the step, size and collection limits,
    /// which already bound a rendering to about a millisecond of work; wall-clock time also counts pauses of a busy
    /// machine and the first, compiling run, so it is generous. Default: 1 s.
    /// </summary>
    public TimeSpan MaxRenderTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How much rendering time one app may use per second on one silo, so one app's templates cannot starve
    /// the others; a rendering over budget fails with <c>template_error</c>. Default: 1 s (one core).
    /// </summary>
    public TimeSpan AppBudgetPerSecond { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How much unused budget an app may save up for a burst. Default: 2 s.</summary>
    public TimeSpan AppBudgetBurst { get; set; } = TimeSpan.FromSeconds(2);

    public static TemplateLimits Default { get; } = new();

    /// <summary>Fluid's options for these limits, built once.</summary>
    internal TemplateOptions Options => options ??= new TemplateOptionsBuilder()
        .WithMaxSteps(MaxSteps)
        .WithMaxOutputSize(MaxOutputCharacters)
        .WithMaxCollectionSize(MaxCollectionItems)
        .WithMaxRecursion(MaxRecursion)
        .Build();

    /// <summary>The first setting out of its range, or null.</summary>
    public string? Validate()
    {
        if (MaxSteps is < 10 or > 10_000_000) return "MaxSteps: 10 to 10,000,000.";
        if (MaxOutputCharacters is < 100 or > 1_000_000) return "MaxOutputCharacters: 100 to 1,000,000.";
        if (MaxCollectionItems is < 1 or > 1_000_000) return "MaxCollectionItems: 1 to 1,000,000.";
        if (MaxRecursion is < 1 or > 100) return "MaxRecursion: 1 to 100.";
        if (MaxRenderTime <= TimeSpan.Zero || MaxRenderTime > TimeSpan.FromSeconds(10)) return "MaxRenderTime: more than 0 and at most 10 s.";
        if (AppBudgetPerSecond <= TimeSpan.Zero) return "AppBudgetPerSecond: more than 0.";
        if (AppBudgetBurst < MaxRenderTime) return "AppBudgetBurst: at least MaxRenderTime.";
        return null;
    }
}
