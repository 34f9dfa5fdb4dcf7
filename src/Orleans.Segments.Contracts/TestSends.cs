using System.Text.Json.Serialization;

namespace Orleans.Segments.Contracts;

/// <summary>
/// A test send: to <c>userId</c>, or (left out) to every test user of the app; <c>variant</c> picks an A/B arm's
/// message; <c>properties</c> stand in for a journey's entering properties.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TestSendInput(string? UserId = null, string? Variant = null, Dictionary<string, string>? Properties = null);

/// <summary>What each test push did: its notification id, <c>delivered</c>, <c>failed</c> or <c>suppressed</c>, and why.</summary>
public sealed record TestSendAnswer(TestSendResult[] Results);

public sealed record TestSendResult(string UserId, string NotificationId, string Status, string? Reason, string Detail, string? Language);

/// <summary>Adds a test user; <c>name</c> says whose phone it is.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TestUserInput(string? Name = null);

public sealed record TestUserView(string UserId, string? Name, DateTime AddedAt);

public sealed record TestUserList(TestUserView[] TestUsers);
