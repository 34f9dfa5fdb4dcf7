using Orleans.Segments.Contracts;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// What the OpenAPI document says of each route, kept beside the route: its body's contract, its answers and
/// every error status it can give, each with the problem-details shape.
/// </summary>
public static class ApiDocs
{
    public const string Json = "application/json";
    public const string ProblemJson = "application/problem+json";

    /// <summary>Statuses every route behind a key can answer: no or unknown key, the wrong key, rate limited, storage down.</summary>
    private static readonly int[] Guarded = [StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable];

    /// <summary>A management route (admin key): its guarded statuses and 400 (a bad id, parameter or body).</summary>
    public static RouteHandlerBuilder Admin(this RouteHandlerBuilder route) =>
        route.AdminList().Problems(StatusCodes.Status400BadRequest);

    /// <summary>A management route with no id, parameter or body (a list): its guarded statuses only.</summary>
    public static RouteHandlerBuilder AdminList(this RouteHandlerBuilder route) =>
        route.WithMetadata(new ApiKeyRequirement(OpenApiDocs.AdminKey)).Problems(Guarded);

    /// <summary>An example of the request body, for the document.</summary>
    public static RouteHandlerBuilder Example(this RouteHandlerBuilder route, string json) =>
        route.WithMetadata(new ApiExample(json));

    /// <summary>A route that takes <typeparamref name="T"/> as its JSON body: and so 413 (too large) and 415 (an unknown encoding).</summary>
    public static RouteHandlerBuilder Body<T>(this RouteHandlerBuilder route, bool optional = false)
        where T : notnull =>
        route.Accepts<T>(optional, Json).Problems(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

    /// <summary>An answer of <typeparamref name="T"/> with <paramref name="status"/>.</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder route, int status = StatusCodes.Status200OK) =>
        route.Produces<T>(status, Json);

    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (int status in statuses) route.Produces<Problem>(status, ProblemJson);
        return route;
    }

    /// <summary>The example of <c>PUT /v1/campaigns/{id}</c>: every top-level field, as in docs/campaigns.md.</summary>
    public const string CampaignExample = """
        {
          "name": "Spring sale",
          "category": "marketing",
          "priority": "normal",
          "audience": {"segment": "reachable-buyers"},
          "trigger": {"type": "schedule", "cron": "0 9 * * 1", "localTime": true, "missedLocalTime": "next_day"},
          "message": {
            "title": "Hi {{ traits.first_name | default: \"there\" }}",
            "subtitle": "This week only",
            "body": "20% off everything in {{ top_interest | default: \"the shop\" }}",
            "deepLink": "shop://sale",
            "data": {"sale": "spring"},
            "collapseId": "spring-sale",
            "sound": "default"
          },
          "variants": [
            {"name": "a", "percent": 50, "message": {"title": "Spring sale", "body": "20% off today"}},
            {"name": "b", "percent": 50, "message": {"title": "Don't miss it", "body": "20% off ends Sunday"}}
          ],
          "holdoutPercent": 5,
          "startAt": "2026-12-01T00:00:00Z",
          "endAt": "2027-01-31T00:00:00Z",
          "cap": {"limit": 2, "window": "30d"},
          "quietHours": {"start": "21:00", "end": "09:00", "enabled": true},
          "quietHoursPolicy": "hold",
          "timeToLive": "12h",
          "conversion": {"event": "Order Completed", "window": "3d"},
          "optOutGuard": {"threshold": 0.05, "minimumSample": 200}
        }
        """;

    /// <summary>The example of <c>PUT /v1/journeys/{id}</c>: an onboarding series (docs/journeys.md).</summary>
    public const string JourneyExample = """
        {
          "name": "Onboarding",
          "entry": {"type": "event", "event": "Signed Up"},
          "reentry": {"allowed": false},
          "exits": [{"type": "event", "event": "Order Completed"}, {"type": "consent_withdrawn"}],
          "conversion": {"event": "Order Completed", "window": "7d"},
          "start": "welcome",
          "steps": [
            {"id": "welcome", "type": "message", "message": {"title": "Welcome {{ traits.first_name | default: \"there\" }}", "body": "Glad you are here"}, "next": "day1"},
            {"id": "day1", "type": "wait", "duration": "1d", "next": "viewed"},
            {"id": "viewed", "type": "branch", "rules": [{"rule": "count(\"Product Viewed\", 30d) > 0", "next": "day3"}], "otherwise": "tip"},
            {"id": "tip", "type": "message", "message": {"title": "A tip", "body": "Browse the new arrivals"}, "next": "day3"},
            {"id": "day3", "type": "wait", "untilEvent": "Order Completed", "timeout": "2d", "next": "bought", "timedOut": "morning"},
            {"id": "morning", "type": "wait", "untilLocalTime": "09:00", "next": "offer"},
            {"id": "offer", "type": "message", "message": {"title": "10 % off", "body": "Your first order"}, "next": "bought"},
            {"id": "bought", "type": "exit"}
          ]
        }
        """;

    /// <summary>The example of <c>PUT /v1/segments/{id}</c>.</summary>
    public const string SegmentExample = """
        {
          "name": "Reachable buyers",
          "rule": "count(\"Order Completed\", 30d) >= 1 and has_push_token and subscribed(\"marketing\")"
        }
        """;

    /// <summary>The example of <c>POST /v1/batch</c>: what Segment's mobile SDKs upload.</summary>
    public const string BatchExample = """
        {
          "batch": [
            {
              "type": "identify",
              "userId": "user-42",
              "anonymousId": "6f1c2a4e-8d0b-4c1e-9a57-0b7d2c1f3e9a",
              "messageId": "2d5b7f3e-1a4c-4e8b-9f0d-6c3a2b1e4d5f",
              "timestamp": "2026-12-06T08:15:30.123Z",
              "traits": {"first_name": "Ada", "plan": "pro"},
              "context": {
                "device": {"type": "ios", "model": "iPhone15,2", "token": "8f2c1a9b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a"},
                "os": {"name": "iOS", "version": "18.1"},
                "app": {"name": "Shop", "version": "3.2.0", "build": "412"},
                "locale": "en-GB",
                "timezone": "Europe/London"
              }
            },
            {
              "type": "track",
              "userId": "user-42",
              "event": "Order Completed",
              "messageId": "9c8b7a6f-5e4d-4c3b-2a1f-0e9d8c7b6a5f",
              "timestamp": "2026-12-06T08:16:02.456Z",
              "properties": {"revenue": 42.5, "currency": "EUR"}
            }
          ],
          "sentAt": "2026-12-06T08:16:05.000Z"
        }
        """;
}
