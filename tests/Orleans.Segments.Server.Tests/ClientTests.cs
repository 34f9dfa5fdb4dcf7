using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Client;
using Orleans.Segments.Contracts;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// The .NET client, as a mobile backend uses it, against the real server over HTTP: each area of the API through
/// its typed methods, the server's reasons surfacing as <see cref="SegmentsApiException"/>, and tracking retries
/// that never count an event twice.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ClientTests(ServerFixture server)
{
    private SegmentsClient Client(HttpMessageHandler? handler = null) => new(
        new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = server.BaseAddress },
        new SegmentsClientOptions { WriteKey = TestApps.Shop.WriteKey, AdminKey = TestApps.Shop.AdminKey, MaxRetryDelay = TimeSpan.Zero });

    [Fact]
    public async Task BackendTracksAUserRegistersTheirPhoneAndReadsTheProfile()
    {
        var client = Client();
        string userId = TestApps.NewUserId();
        string token = Tokens.Apns();

        await client.IdentifyAsync(userId, new JsonObject { ["first_name"] = "Ada", ["plan"] = "pro" }, new JsonObject { ["locale"] = "de-AT" });
        await client.TrackAsync(userId, "Product Viewed", new JsonObject { ["category"] = "books" });
        await client.BatchAsync([new SegmentCall(Type: "track", UserId: userId, Event: "Order Completed"), new SegmentCall(Type: "track", UserId: userId, Event: "Product Viewed")]);
        var device = await client.RegisterDeviceAsync(userId, token, "ios");
        var consents = await client.SetSubscriptionsAsync(userId, marketing: true);

        var profile = await client.GetUserAsync(userId);
        Assert.NotNull(profile);
        Assert.Equal("Ada", profile.Traits["first_name"]!.GetValue<string>());
        Assert.Equal(2, profile.Behaviour.Single(b => b.Event == "Product Viewed").Total);
        Assert.Equal(1, profile.Behaviour.Single(b => b.Event == "Order Completed").Total);
        Assert.Equal("ios", device.Platform);
        Assert.EndsWith(token[^4..], profile.Devices.Single().Token);
        Assert.True(consents.Marketing);
        Assert.True(profile.Reachability.Reachable);
        Assert.Null(await client.GetUserAsync(TestApps.NewUserId()));
    }

    [Fact]
    public async Task TrackingRetriedAfterALostAnswerIsCountedOnce()
    {
        // Why: the first answer is lost after the server stored the events, as when a connection drops; the client
        // sends the same message ids again.
        var flaky = new LoseFirstAnswer(new SocketsHttpHandler());
        var client = Client(flaky);
        string userId = TestApps.NewUserId();

        await client.TrackAsync(userId, "Order Completed", new JsonObject { ["revenue"] = 42.5 });
        await client.BatchAsync([new SegmentCall(Type: "track", UserId: userId, Event: "Order Completed")]);

        Assert.Equal(4, flaky.Sent);
        var profile = await Client().GetUserAsync(userId);
        Assert.Equal(2, profile!.Behaviour.Single(b => b.Event == "Order Completed").Total);
    }

    [Fact]
    public async Task TransactionalPushIsSentOnceAndLogged()
    {
        var client = Client();
        string userId = TestApps.NewUserId();
        await client.IdentifyAsync(userId, new JsonObject { ["first_name"] = "Ada" });
        await client.RegisterDeviceAsync(userId, Tokens.Apns(), "ios");

        var message = new TransactionalMessageInput(userId, "order-42", "Order confirmed", "Thanks {{ traits.first_name }}!", new Dictionary<string, string> { ["order"] = "42" });
        var first = await client.SendTransactionalAsync(message);
        var again = await client.SendTransactionalAsync(message);

        Assert.Equal("delivered", first.Status);
        Assert.True(again.Duplicate);
        Assert.Equal(first.NotificationId, again.NotificationId);
        var log = await client.GetMessagesAsync(userId);
        Assert.Equal("delivered", Assert.Single(log!.Messages).Status);
        Assert.True(await client.EraseUserAsync(userId));
        Assert.False(await client.EraseUserAsync(userId));
    }

    [Fact]
    public async Task SegmentsAreDefinedPreviewedExplainedAndDeleted()
    {
        var client = Client();
        string userId = TestApps.NewUserId();
        string id = $"client-{Guid.NewGuid().ToString("N")[..8]}";
        string rule = $"count(\"Client Probe {id}\", 7d) >= 1";
        var saved = await client.PutSegmentAsync(id, new SegmentInput("Probed", rule));
        await client.TrackAsync(userId, $"Client Probe {id}");

        var preview = await client.PreviewSegmentAsync(rule);
        var explanation = await client.ExplainAsync(userId, id);
        var members = await client.GetAllMembersAsync(id).ToListAsync();

        Assert.Equal(("Probed", rule), (saved.Name, saved.Rule));
        Assert.Equal((true, 1L), (preview.Valid, preview.Size));
        Assert.True(explanation!.Member);
        Assert.Equal([userId], members);
        Assert.Equal(1, (await client.GetSegmentAsync(id))!.Size);
        Assert.Contains(id, (await client.ListSegmentsAsync()).Select(s => s.Id));
        var invalid = await Assert.ThrowsAsync<SegmentsApiException>(() => client.PutSegmentAsync(id, new SegmentInput("Broken", "count(\"x\", 7d) >=")));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.NotEmpty(invalid.Errors);
        Assert.True(await client.DeleteSegmentAsync(id));
        Assert.Null(await client.GetSegmentAsync(id));
        Assert.False(await client.DeleteSegmentAsync(id));
    }

    [Fact]
    public async Task GeofenceIsDrawnUsedByASegmentAndRefusedDeletionWhileInUse()
    {
        var client = Client();
        string fence = $"client-fence-{Guid.NewGuid().ToString("N")[..8]}";
        string segment = $"client-near-{Guid.NewGuid().ToString("N")[..8]}";

        var circle = await client.PutGeofenceAsync(fence, new GeofenceInput("Alexanderplatz", 52.5219, 13.4132, 250));
        await client.PutSegmentAsync(segment, new SegmentInput("Near the store", $"inside(\"{fence}\")"));
        var inUse = await Assert.ThrowsAsync<SegmentsApiException>(() => client.DeleteGeofenceAsync(fence));
        var polygon = await client.PutGeofenceAsync(fence, new GeofenceInput("Square", Polygon: [[52.52, 13.41], [52.52, 13.42], [52.53, 13.42], [52.53, 13.41]]));

        Assert.Equal((52.5219, 13.4132, 250.0), (circle.Latitude!.Value, circle.Longitude!.Value, circle.RadiusMeters!.Value));
        Assert.Equal(HttpStatusCode.Conflict, inUse.Status);
        Assert.Contains(segment, inUse.Message, StringComparison.Ordinal);
        Assert.Equal(4, polygon.Polygon!.Length);
        Assert.Contains(fence, (await client.ListGeofencesAsync()).Select(g => g.Id));
        var invalid = await Assert.ThrowsAsync<SegmentsApiException>(() => client.PutGeofenceAsync(fence, new GeofenceInput("Nowhere", 95, 13.4, 100)));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.True(await client.DeleteSegmentAsync(segment));
        Assert.True(await client.DeleteGeofenceAsync(fence));
        Assert.Null(await client.GetGeofenceAsync(fence));
    }

    [Fact]
    public async Task CampaignIsComposedLaunchedPausedAndMeasured()
    {
        var client = Client();
        string segment = $"client-aud-{Guid.NewGuid().ToString("N")[..8]}";
        string id = $"client-camp-{Guid.NewGuid().ToString("N")[..8]}";
        await client.PutSegmentAsync(segment, new SegmentInput("Audience", "has_push_token"));
        var campaign = new CampaignInput(
            Name: "Welcome",
            Audience: new AudienceInput(Segment: segment),
            Trigger: new TriggerInput(Type: "event", Event: "Signed Up"),
            Message: new MessageInput(Title: "Welcome {{ traits.first_name | default: \"there\" }}", Body: "Glad you're here"),
            Cap: new CapInput(1, "30d"),
            Conversion: new ConversionInput("Order Completed", "3d"));

        var created = await client.PutCampaignAsync(id, campaign);
        var launched = await client.LaunchCampaignAsync(id);
        var paused = await client.PauseCampaignAsync(id, "checking the copy");
        var resumed = await client.ResumeCampaignAsync(id);

        Assert.Equal("draft", created.Status);
        Assert.Equal("event", created.Definition.Trigger!.Type);
        Assert.Equal("30d", created.Definition.Cap!.Window);
        Assert.Equal("running", launched.Status);
        Assert.Equal(("paused", "checking the copy"), (paused.Status, paused.StatusReason));
        Assert.Equal("running", resumed.Status);
        Assert.Contains(id, (await client.ListCampaignsAsync()).Select(c => c.Id));
        Assert.Equal(0, (await client.GetCampaignStatsAsync(id))!.Total.Sent);

        var invalid = await Assert.ThrowsAsync<SegmentsApiException>(() => client.PutCampaignAsync(id, campaign with { Cap = new CapInput(1, "forever") }));
        Assert.Contains(invalid.Errors, e => e.StartsWith("cap.window:", StringComparison.Ordinal));
        var missing = await Assert.ThrowsAsync<SegmentsApiException>(() => client.LaunchCampaignAsync("client-none"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("cancelled", (await client.CancelCampaignAsync(id)).Status);
    }

    /// <summary>Delivers every request; the first answer is replaced by a dropped connection.</summary>
    private sealed class LoseFirstAnswer(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public int Sent { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Sent++;
            if (Sent % 2 == 1)
            {
                response.Dispose();
                throw new HttpRequestException("the connection dropped before the answer arrived");
            }

            return response;
        }
    }
}
