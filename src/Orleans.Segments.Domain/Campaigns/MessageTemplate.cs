using Fluid;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// A Liquid template for a message field (Fluid), parsed once when the campaign is defined:
/// <c>Hi {{ traits.first_name | default: "there" }}</c>. The model offers <c>traits</c>, <c>user_id</c>,
/// <c>stage</c>, <c>top_interest</c>, <c>city</c> and <c>country</c>.
/// </summary>
public sealed class MessageTemplate
{
    /// <summary>The longest template text accepted.</summary>
    public const int MaxLength = 2000;

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();
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

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says where and what.</summary>
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

        result = new MessageTemplate(text, parsed);
        error = null;
        return true;
    }

    /// <summary>Renders the template for a user; a failure renders the raw text rather than nothing.</summary>
    public string Render(string userId, UserProfileState state)
    {
        if (literal) return Text;
        var context = new TemplateContext(Options);
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
        if (usesStage) context.SetValue("stage", state.Lifecycle.Stage is { } stage ? Lifecycle.LifecycleStageNames.ToWire(stage) : null);
        if (usesLocation)
        {
            context.SetValue("city", state.Location?.Point.City);
            context.SetValue("country", state.Location?.Point.Country);
        }

        if (usesInterest) context.SetValue("top_interest", state.Interests.Scores.Count == 0 ? null : state.Interests.Scores.MaxBy(s => s.Value.Value).Key);
        try
        {
            return template.Render(context);
        }
        catch (Exception)
        {
            // Why: a user's odd trait must not stop the message; the unrendered text is visible and safe.
            return Text;
        }
    }

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions { MaxSteps = 10_000, MaxRecursion = 10 };
        return options;
    }
}
