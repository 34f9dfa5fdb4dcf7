using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>A campaign as user grains see it: its definition, its status, and its audience rule compiled.</summary>
public sealed class LiveCampaign
{
    public LiveCampaign(CampaignDefinition definition, CampaignStatus status)
    {
        Definition = definition;
        Status = status;
        if (definition.AudienceRule is { } rule && RuleParser.Parse(rule) is { IsValid: true } parsed) Rule = RuleCompiler.Compile(parsed.Root!);
    }

    public CampaignDefinition Definition { get; }

    public CampaignStatus Status { get; }

    private Func<RuleContext, bool>? Rule { get; }

    /// <summary>Whether the user is in the campaign's audience now (no audience: everyone the trigger reaches).</summary>
    public bool InAudience(UserProfileState state, DateTime now, UserModelPolicy policy)
    {
        if (Definition.AudienceSegment is { } segment) return state.Segments.ContainsKey(segment);
        if (Rule is null) return Definition.AudienceRule is null;
        var context = new RuleContext(state, now, policy) { InSegment = id => state.Segments.ContainsKey(id) };
        return Rule(context);
    }
}
