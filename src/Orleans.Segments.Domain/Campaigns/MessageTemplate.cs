using Fluid;
using Fluid.Values;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// A Liquid template for a message field (Fluid), parsed once when the campaign is defined:
/// <c>Hi {{ traits.first_name | default: "there" }}</c>. The model offers <c>traits</c>, <c>user_id</c>,
/// <c>stage</c>, <c>top_interest</c>, <c>city</c> and <c>country</c>. Every rendering is bounded by
/// <see cref="TemplateLimits"/>; one that passes a limit fails with the reason instead of growing.
/// </summary>
public sealed class MessageTemplate
{
    /// <summary>The longest template text accepted.</summary>
    public const int MaxLength = 2000;

    private static readonly FluidParser Parser = new();

    [ThreadStatic]
    private static Deadline? deadline;

    private readonly IFluidTemplate template;

    /// <summary>No tag or output at all: the text is the rendering, and Fluid is not asked.</summary>
    private readonly bool literal;

    /// <summary>Model values the text mentions; the others are not computed for each user.</summary>
    private readonly bool usesTraits, usesStage, usesLocation, usesInterest;

    private MessageTemplate(string text, IFluidTemplate template)
    {
        Text = text;
        this.template = template;
        literal = !text.Contains("{{", StringComparison.Ordinal) && !text.Contains("{%", StringComparison.Ordinal);

        // Why: a name absent from the text cannot be read by it (Liquid has no way to build a variable name).
        usesTraits = text.Contains("traits", StringComparison.Ordinal);
        usesStage = text.Contains("stage", StringComparison.Ordinal);
        usesLocation = text.Contains("city", StringComparison.Ordinal) || text.Contains("country", StringComparison.Ordinal);
        usesInterest = text.Contains("top_interest", StringComparison.Ordinal);
    }

    public string Text { get; }

    /// <summary>Whether the text has no Liquid at all, so every user gets the same rendering.</summary>
    public bool IsLiteral => literal;

    /// <summary>
    /// Parses <paramref name="text"/> and renders it once for a user with no data; on failure <paramref name="error"/>
    /// says where and what (a syntax error, or a limit that even an empty profile passes, such as a loop over a
    /// billion numbers).
    /// </summary>
    public static bool TryParse(string text, out MessageTemplate? result, out string? error)
    {
        result = null;
        if (text.Length > MaxLength)
        {
            error = $"a template may be at most {MaxLength} characters.";
            return false;
        }

        if (!Parser.TryParse(text, out var parsed, out error))
        {
            return false;
        }

        var candidate = new MessageTemplate(text, parsed);
        if (!candidate.literal && !candidate.TryRender("user", new UserProfileState(), TemplateLimits.Default, TimeProvider.System, out _, out string? renderError))
        {
            error = $"the template cannot be rendered: {renderError}";
            return false;
        }

        result = candidate;
        error = null;
        return true;
    }

    /// <summary>Renders the template for a user within the default limits; throws <see cref="TemplateRenderException"/> with the reason.</summary>
    public string Render(string userId, UserProfileState state) =>
        TryRender(userId, state, TemplateLimits.Default, TimeProvider.System, out string text, out string? error) ? text : throw new TemplateRenderException(error!);

    /// <summary>
    /// Renders the template for a user within <paramref name="limits"/> (time measured by <paramref name="time"/>);
    /// false with the reason when a limit is passed or Fluid refuses it. <paramref name="journey"/>: the properties
    /// the user entered a journey with, as <c>journey.*</c>.
    /// </summary>
    public bool TryRender(string userId, UserProfileState state, TemplateLimits limits, TimeProvider time, out string text, out string? error,
        IReadOnlyDictionary<string, string>? journey = null)
    {
        error = null;
        if (literal)
        {
            text = Text;
            return true;
        }

        var context = new TemplateContext(limits.Options);
        if (usesTraits)
        {
            var traits = new Dictionary<string, object?>(state.Traits.Count, StringComparer.Ordinal);
            foreach (var (key, value) in state.Traits)
            {
                traits[key] = value.Kind switch
                {
                    TraitKind.String => value.Text,
                    TraitKind.Number => value.Number,
                    TraitKind.Boolean => value.Number != 0,
                    _ => null,
                };
            }

            context.SetValue("traits", traits);
        }

        context.SetValue("user_id", userId);
        if (journey is not null) context.SetValue("journey", journey);
        if (usesStage) context.SetValue("stage", Value(state.Lifecycle.Stage is { } stage ? Lifecycle.LifecycleStageNames.ToWire(stage) : null));
        if (usesLocation)
        {
            context.SetValue("city", Value(state.Location?.Point.City));
            context.SetValue("country", Value(state.Location?.Point.Country));
        }

        if (usesInterest) context.SetValue("top_interest", Value(state.Interests.Scores.Count == 0 ? null : state.Interests.Scores.MaxBy(s => s.Value.Value).Key));

        var clock = deadline is { } d && ReferenceEquals(d.Time, time) ? d : deadline = new Deadline(time);
        context.CancellationToken = clock.Start(limits.MaxRenderTime);
        try
        {
            text = template.Render(context);
            return true;
        }
        catch (OperationCanceledException)
        {
            error = $"rendering took longer than {limits.MaxRenderTime.TotalMilliseconds:0} ms.";
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("recursion", StringComparison.Ordinal))
        {
            error = $"rendering nested deeper than {limits.MaxRecursion} levels.";
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException or NotSupportedException)
        {
            error = ex.Message.Replace("materialized ", "", StringComparison.Ordinal);
        }
        finally
        {
            clock.Stop();
        }

        text = "";
        return false;
    }

    private static FluidValue Value(string? value) => value is null ? NilValue.Instance : StringValue.Create(value);

    /// <summary>
    /// A reusable cancellation source per thread: rendering is synchronous, so one timer armed and disarmed per
    /// rendering costs less than a new source each time.
    /// </summary>
    private sealed class Deadline(TimeProvider time)
    {
        private CancellationTokenSource source = new(Timeout.InfiniteTimeSpan, time);

        public TimeProvider Time { get; } = time;

        public CancellationToken Start(TimeSpan limit)
        {
            source.CancelAfter(limit);
            return source.Token;
        }

        public void Stop()
        {
            if (!source.TryReset())
            {
                source.Dispose();
                source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, Time);
            }
        }
    }
}
