using System.Text.Json.Serialization;

namespace Orleans.Segments.Contracts;

/// <summary>The body of <c>PUT /v1/segments/{id}</c>.</summary>
/// <param name="Name">Shown in the console and lists; default: the id. At most 200 characters.</param>
/// <param name="Rule">The rule in the segment language, e.g. <c>stage = "loyal" and count("Order Completed", 30d) >= 3</c>.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SegmentInput(string? Name = null, string? Rule = null);

/// <summary>The body of <c>POST /v1/segments/preview</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SegmentPreviewInput(string? Rule = null);

/// <summary>A segment with its exact size now.</summary>
/// <param name="Status"><c>ready</c>, or <c>backfilling</c> while existing users are re-evaluated after a change.</param>
/// <param name="UsedBy">Campaigns (by id) and segments (<c>segment:&lt;id&gt;</c>) that name this segment.</param>
public sealed record SegmentView(string Id, string Name, string Rule, long Size, string Status, BackfillProgress? Backfill, long Version, string[] UsedBy);

/// <summary>How far a backfill has got: users re-evaluated of those known.</summary>
public sealed record BackfillProgress(long? Processed, long Total);

public sealed record SegmentList(SegmentView[] Segments);

/// <summary>A page of members; <c>next</c> is the cursor of the next page, null after the last.</summary>
public sealed record MembersPage(string[] Members, string? Next);

/// <summary>A valid rule as the parser prints it, and how many of the app's users it matches now.</summary>
public sealed record SegmentPreview(bool Valid, string Rule, long Size, long Users);

/// <summary>Why a user is in or out of a segment: the rule's tree with the user's value at each condition.</summary>
public sealed record SegmentExplanation(string UserId, string SegmentId, bool Member, ExplanationNode Explanation);

/// <param name="Kind"><c>condition</c>, <c>and</c>, <c>or</c> or <c>not</c>.</param>
/// <param name="Value">For a condition: the user's value of its term.</param>
public sealed record ExplanationNode(string Kind, string Rule, bool Held, string? Value, ExplanationNode[] Children);
