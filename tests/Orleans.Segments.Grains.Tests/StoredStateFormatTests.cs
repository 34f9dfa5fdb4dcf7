using System.Collections;
using System.Reflection;
using MessagePack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Domain.Behaviour;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Interests;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Domain.Webhooks;
using Orleans.Segments.Hosting;
using Orleans.Segments.Segments;
using Orleans.Segments.Wakeups;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Segments.Grains.Tests;

/// <summary>
/// The stored form of a user's profile and of the shard records written per registration and membership change
/// (index shards, directory pages, wake-up buckets and their logs): MessagePack behind a tag, every field kept;
/// records stored in the earlier format (Orleans' binary one) still load, from every provider's path, and are
/// rewritten in the new one.
/// </summary>
public sealed class StoredStateFormatTests
{
    private static readonly DateTime At = new(2026, 11, 30, 8, 15, 0, DateTimeKind.Utc);

    private static readonly Serializer Orleans = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private readonly SegmentsStorageSerializer storageSerializer = new(Orleans);

    /// <summary>A profile in which every stored member, at every depth, holds a value other than its default.</summary>
    internal static UserProfileState EveryField() => new()
    {
        CreatedAt = At.AddDays(-60),
        Activity = new ActivityLog { FirstSeen = At.AddDays(-60), LastSeen = At, Anchor = 20_422, ActiveDaysLow = 0xF0F0_0F0F, ActiveDaysHigh = 3 },
        Lifecycle = new LifecycleState
        {
            Stage = LifecycleStage.Loyal, Since = At.AddDays(-3), EvaluatedAt = At, Transitions = 2,
            History = [new LifecycleTransition(LifecycleStage.Active, LifecycleStage.Loyal, At.AddDays(-3))],
        },
        Counters =
        {
            ["Order Completed"] = new EventCounter
            {
                Recent = [At.AddHours(-2).Ticks, At.Ticks], Days = [20_420, 20_422], Counts = [1, 2],
                Sums = new() { ["revenue"] = [19.99, 45.5] }, Total = 3, First = At.AddDays(-2),
            },
        },
        Interests = new InterestScores { Scores = { ["shoes"] = new InterestScore(2.5, At) } },
        Traits = { ["plan"] = new TraitValue(TraitKind.String, "pro <b>", 1, At) },
        Location = new LastLocation(new GeoPoint(52.52, 13.405, "Berlin", "DE"), At),
        TimeZone = "Europe/Berlin",
        TimeZoneAt = At,
        Devices = [new PushDevice { Token = "a1b2c3", Platform = PushPlatform.Ios, RegisteredAt = At.AddDays(-60), LastSeenAt = At, InvalidatedAt = At.AddHours(1) }],
        Subscriptions = new Subscriptions { Marketing = true, MarketingChangedAt = At, Transactional = true, TransactionalChangedAt = At },
        MessageIds = new MessageIdWindow { Hashes = [17, 42], ArrivedAt = [At.Ticks - 1, At.Ticks] },
        AnonymousIds = ["anon-7"],
        WakeBookedFor = At.AddHours(3),
        EventsApplied = 123,
        MergedInto = "shop/u/other",
        Geofences = { "mitte" },
        GeofenceHistory = [new MembershipTransition("mitte", true, At)],
        Segments = { ["buyers"] = At.AddDays(-1) },
        SegmentHistory = [new MembershipTransition("buyers", true, At.AddDays(-1))],
        SegmentsVersion = 7,
        SegmentsEvaluatedAt = At,
        DirectoryPage = "shop/3/12",
        GeofencesVersion = 2,
        PendingIndex = [new MembershipTransition("stage:loyal", true, At)],
        Sends = new SendLedger
        {
            Sent = [new SendRecord("welcome", "manual-1", MessageCategory.Marketing, At, "n-1")],
            EverReceived = { "welcome" },
            ReceivedEver = { ["welcome"] = 1 },
        },
        Messages =
        [
            new MessageLogEntry("n-1", "welcome", "manual-1", MessageStatus.Delivered, SuppressionReason.QuietHours, "accepted for 1 of 1 device(s)", At)
            {
                Variant = "b", DeferredUntil = At.AddHours(-1), CountedByCaller = true, Test = true, Language = "de-AT",
            },
        ],
        PendingSends =
        [
            new PendingSend("sale", "manual-2", At.AddHours(1), At)
            {
                Targeted = true, Variant = "a", ProviderRetries = 1,
                Request = new SendRequest("sale", "manual-2", MessageCategory.Marketing, MessagePriority.High)
                {
                    CampaignLimit = 2, CampaignWindow = TimeSpan.FromDays(1), TimeToLive = TimeSpan.FromHours(6), DueAt = At, DropInQuietHours = true,
                    QuietHours = new QuietHours { Start = new TimeOnly(21, 30), End = new TimeOnly(7, 0), DefaultTimeZone = "Europe/Paris", Enabled = true },
                },
                Message = new CampaignMessage("Hi {{ traits.name }}", "Ünïcødé ✓ body")
                {
                    Subtitle = "sub", DeepLink = "shop://sale", Data = new() { ["k"] = "v" }, CollapseId = "sale", Sound = "chime.caf",
                    Translations = new() { ["pt-BR"] = new MessageTranslation("Olá", "Corpo") { Subtitle = "sub" } },
                    Image = "https://cdn.example.com/sale.jpg", Buttons = [new PushButton("buy", "Buy") { DeepLink = "shop://buy" }],
                    Category = "SALE", Badge = 2, ThreadId = "sales", ChannelId = "promotions",
                },
            },
        ],
        Exposures =
        [
            new Exposure
            {
                CampaignId = "welcome", Variant = "b", NotificationId = "n-1", At = At, Category = MessageCategory.Marketing, Pushed = true,
                ConversionEvent = "Order Completed", ConversionUntil = At.AddDays(3), Opened = true, Converted = true, OptedOut = true, Language = "de",
            },
        ],
        PendingReports = [new CampaignReport("welcome", "b", ReportKind.Converted, "why") { At = At }],
        AppDevices =
        [
            new AppDevice
            {
                Context = new ClientContext
                {
                    Key = "device-1", DeviceType = "ios", Manufacturer = "Apple", Model = "iPhone16,2", AppName = "Shop", AppVersion = "4.2",
                    AppBuild = "420", AppNamespace = "com.example.shop", OsName = "iOS", OsVersion = "18.1", Locale = "de-DE", Wifi = true,
                    Cellular = true, Bluetooth = true, Carrier = "T-Mobile", LibraryName = "analytics-swift", LibraryVersion = "1.5.0",
                },
                FirstSeenAt = At.AddDays(-60),
                LastSeenAt = At,
            },
        ],
        IndexedStage = "stage:loyal",
        LiveActivities = ["order-42"],
        PendingExports =
        [
            new PendingExport("warehouse", new WebhookEvent("ev_1", WebhookEventTypes.MessageSent, At, "u-1")
            {
                Anonymous = true, CampaignId = "c", JourneyId = "j", NotificationId = "n", Variant = "b", Language = "de", Reason = "capped",
                SegmentId = "s", From = "new", To = "active", StepId = "welcome", Version = 2, Detail = "Ünïcødé",
            }),
        ],
        Journeys =
        [
            new JourneyPosition
            {
                JourneyId = "onboarding", Version = 2, StepId = "day3", EnteredAt = At.AddDays(-2), StepSince = At.AddDays(-1), WaitUntil = At.AddDays(1),
                LeftAt = At, ExitReason = "event:Order Completed", Converted = true, Properties = new() { ["plan"] = "pro" },
                Trail = [new JourneyTrailEntry(JourneyTrailKind.Moved, "welcome", At.AddDays(-2), "next")],
            },
        ],
    };

    [Fact]
    public void The_test_profile_sets_every_stored_member_so_that_a_member_left_out_of_the_format_is_noticed()
    {
        var unset = new List<string>();
        FindUnset(EveryField(), nameof(UserProfileState), unset);
        Assert.Empty(unset);
    }

    [Fact]
    public void Every_stored_member_has_the_same_number_in_both_formats()
    {
        var mismatched = new List<string>();
        var assemblies = new[] { typeof(UserProfileState).Assembly, typeof(DayFlow).Assembly, typeof(StoredStateFormat).Assembly };
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()).Where(t => t.GetCustomAttribute<MessagePackObjectAttribute>() is not null))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                int? id = property.GetCustomAttribute<IdAttribute>()?.Id is { } i ? (int)i : null;
                int? order = property.GetCustomAttribute<KeyAttribute>()?.IntKey;
                if (id != order) mismatched.Add($"{type.Name}.{property.Name}: [Id({id})] but [Key({order})]");
            }
        }

        Assert.Empty(mismatched);
    }

    [Fact]
    public void A_profile_is_stored_tagged_and_reads_back_with_every_field()
    {
        var profile = EveryField();

        var stored = storageSerializer.Serialize(profile).ToArray();
        var read = storageSerializer.Deserialize<UserProfileState>(new BinaryData(stored))!;

        Assert.True(StoredStateFormat.IsTagged(stored));
        Assert.Equal(Json(profile), Json(read));
        Assert.Equal("Ünïcødé ✓ body", read.PendingSends[0].Message!.Body);
        Assert.False(read.Counters.ContainsKey("order completed"));
    }

    [Fact]
    public void A_profile_stored_in_the_earlier_format_loads_and_is_rewritten_in_the_new_one()
    {
        var profile = EveryField();
        byte[] earlier = Orleans.SerializeToArray(profile);
        Assert.False(StoredStateFormat.IsTagged(earlier));

        var read = storageSerializer.Deserialize<UserProfileState>(new BinaryData(earlier))!;
        var rewritten = storageSerializer.Serialize(read).ToArray();

        Assert.Equal(Json(profile), Json(read));
        Assert.True(StoredStateFormat.IsTagged(rewritten));
        Assert.Equal(Json(profile), Json(storageSerializer.Deserialize<UserProfileState>(new BinaryData(rewritten))!));
    }

    [Fact]
    public void A_profile_stored_before_this_format_existed_still_loads()
    {
        // Why: bytes written by the engine before the tagged format (commit 53f6fe7, Orleans' binary format), kept as
        // a file, so that a change to the types that old records can no longer be read by is caught here.
        var bytes = Convert.FromBase64String(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "profile-orleans-format.b64")));

        var read = storageSerializer.Deserialize<UserProfileState>(new BinaryData(bytes))!;

        Assert.Equal(At.AddDays(-60), read.CreatedAt);
        Assert.Equal(LifecycleStage.Loyal, read.Lifecycle.Stage);
        Assert.Equal([19.99, 45.5], read.Counters["Order Completed"].Sums!["revenue"]);
        Assert.Equal("a1b2c3", read.Devices[0].Token);
        Assert.Equal("accepted for 1 of 1 device(s)", read.Messages[0].Detail);
        Assert.Equal("Ünïcødé ✓ body", read.PendingSends[0].Message!.Body);
        Assert.True(read.Exposures[0].OptedOut);
        Assert.Equal("com.example.shop", read.AppDevices[0].Context.AppNamespace);
        Assert.Equal("stage:loyal", read.IndexedStage);

        // Why: journeys came after those bytes were written; such a profile has none.
        Assert.Empty(read.Journeys);
        var expected = EveryField();
        expected.Journeys = [];
        expected.LiveActivities = [];
        expected.PendingExports = [];

        // Why: translations (and the language of a send) came after those bytes too.
        expected.Messages[0] = expected.Messages[0] with { Language = null };
        expected.PendingSends[0] = expected.PendingSends[0] with
        {
            Message = expected.PendingSends[0].Message! with { Translations = null, Image = null, Buttons = null, Category = null, Badge = null, ThreadId = null, ChannelId = null },
        };
        expected.Exposures[0] = new Exposure
        {
            CampaignId = "welcome", Variant = "b", NotificationId = "n-1", At = At, Category = MessageCategory.Marketing, Pushed = true,
            ConversionEvent = "Order Completed", ConversionUntil = At.AddDays(3), Opened = true, Converted = true, OptedOut = true,
        };
        Assert.Equal(Json(expected), Json(read));
    }

    [Fact]
    public void For_a_rolling_upgrade_profiles_can_be_written_in_the_earlier_format_that_silos_not_yet_upgraded_read()
    {
        var services = new ServiceCollection().AddSerializer();
        services.AddOptions<SegmentsOptions>().Configure(o => o.Storage.StateFormat = StateFormat.Orleans);
        var upgrading = (SegmentsStorageSerializer)SegmentsStorageSerializer.Create(services.BuildServiceProvider());

        var stored = upgrading.Serialize(EveryField()).ToArray();

        Assert.False(StoredStateFormat.IsTagged(stored));
        Assert.Equal(Json(EveryField()), Json(Orleans.Deserialize<UserProfileState>(stored)));
        Assert.Equal(Json(EveryField()), Json(upgrading.Deserialize<UserProfileState>(new BinaryData(storageSerializer.Serialize(EveryField())))));
    }

    [Fact]
    public void The_state_format_is_a_setting_of_the_Segments_section()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Segments:Storage:StateFormat"] = "orleans" }).Build();

        var options = new SegmentsOptions();
        configuration.GetSection(SegmentsOptions.Section).Bind(options);

        Assert.Equal(StateFormat.Orleans, options.Storage.StateFormat);
        Assert.Equal(StateFormat.MessagePack, new SegmentsOptions().Storage.StateFormat);
    }

    [Fact]
    public async Task The_streaming_path_of_a_provider_reads_both_formats_and_writes_the_tagged_one()
    {
        var profile = EveryField();
        var written = new MemoryStream();
        await storageSerializer.SerializeAsync(profile, written);
        Assert.True(StoredStateFormat.IsTagged(written.ToArray()));

        foreach (var stored in new[] { written.ToArray(), Orleans.SerializeToArray(profile) })
        {
            var read = await storageSerializer.DeserializeAsync<UserProfileState>(new MemoryStream(stored));
            Assert.Equal(Json(profile), Json(read));
        }
    }

    [Fact]
    public async Task The_embedded_storage_keeps_profiles_in_the_tagged_format()
    {
        var storage = new ProcessGrainStorage(Orleans);
        var grain = GrainId.Create("user", "shop/u/ada");
        await storage.WriteStateAsync("profile", grain, new GrainState<UserProfileState>(EveryField()));

        var read = new GrainState<UserProfileState>(new UserProfileState());
        await storage.ReadStateAsync("profile", grain, read);

        Assert.Equal(Json(EveryField()), Json(read.State));
    }

    [Fact]
    public void A_profile_in_a_newer_format_version_is_refused_as_unreadable_not_guessed_at()
    {
        var stored = storageSerializer.Serialize(EveryField()).ToArray();
        stored[4] = 2;

        var refused = Assert.Throws<UnreadableStateException>(() => storageSerializer.Deserialize<UserProfileState>(new BinaryData(stored)));

        Assert.Contains("format version 2", refused.Message);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(40)]
    [InlineData(200)]
    public void A_cut_off_or_corrupted_profile_is_refused_as_unreadable(int keep)
    {
        var stored = storageSerializer.Serialize(EveryField()).ToArray();
        var cut = stored[..Math.Min(keep, stored.Length - 1)];
        Assert.Throws<UnreadableStateException>(() => storageSerializer.Deserialize<UserProfileState>(new BinaryData(cut)));

        var corrupted = (byte[])stored.Clone();
        for (int i = 5; i < 5 + 8 && i < corrupted.Length; i++) corrupted[i] = 0xFF;
        Assert.Throws<UnreadableStateException>(() => storageSerializer.Deserialize<UserProfileState>(new BinaryData(corrupted)));
    }

    [Fact]
    public void Every_type_a_tagged_record_holds_is_annotated_for_MessagePack_at_every_depth()
    {
        var missing = new List<string>();
        var seen = new HashSet<Type>();
        foreach (var type in StoredStateFormat.TaggedTypes) Walk(type, type.Name);
        Assert.Empty(missing);

        void Walk(Type type, string path)
        {
            if (!seen.Add(type)) return;
            if (type.IsGenericType) foreach (var argument in type.GetGenericArguments()) Walk(argument, $"{path}<{argument.Name}>");
            if (type.Namespace?.StartsWith("Orleans.Segments", StringComparison.Ordinal) != true || type.IsEnum) return;
            if (type.GetCustomAttribute<MessagePackObjectAttribute>() is null) missing.Add(path);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetCustomAttribute<IdAttribute>() is not null))
            {
                Walk(property.PropertyType, $"{path}.{property.Name}");
            }
        }
    }

    [Fact]
    public void Index_shards_and_their_logs_are_stored_tagged_keep_every_field_and_their_ordinal_order()
    {
        var index = new SegmentIndexState { Flows = [new DayFlow { Day = 739_950, Entered = 12, Exited = 3 }, new DayFlow { Day = 739_951, Entered = 1, Exited = 40 }] };
        foreach (string user in OrdinalTricky) index.Members.Add(user);
        var log = new ChangeLog<SegmentIndexChange> { Changes = [new("ada", true) { At = At }, new("<b>bob</b>", false) { At = At.AddHours(1) }, new("old", true)] };

        var read = RoundTrip(index);
        var readLog = RoundTrip(log);

        Assert.Same(StringComparer.Ordinal, read.Members.Comparer);
        Assert.Equal(OrdinalTricky.Order(StringComparer.Ordinal), read.Members);
        Assert.Equal(new[] { "a", "b" }, read.Members.GetViewBetween("a", "b"));
        Assert.Equal(log.Changes, readLog.Changes);
        Assert.Equal(DateTimeKind.Utc, readLog.Changes[0].At.Kind);
    }

    [Fact]
    public void Directory_pages_wakeup_buckets_and_their_logs_are_stored_tagged_and_keep_every_field()
    {
        var page = new UserDirectoryPageState();
        foreach (string user in OrdinalTricky) page.Users.Add(user);
        var bucket = new WakeupBucketState { Due = { ["shop/u/ada"] = At, ["shop/u/Ünï"] = At.AddMinutes(5) } };

        var readPage = RoundTrip(page);
        var readBucket = RoundTrip(bucket);
        var readPageLog = RoundTrip(new ChangeLog<UserDirectoryChange> { Changes = [new("ada", true), new("ada", false)] });
        var readBucketLog = RoundTrip(new ChangeLog<WakeupBooking> { Changes = [new("shop/u/ada", At)] });

        Assert.Same(StringComparer.Ordinal, readPage.Users.Comparer);
        Assert.Equal(OrdinalTricky.Order(StringComparer.Ordinal), readPage.Users);
        Assert.Equal(bucket.Due, readBucket.Due);
        Assert.Equal(new UserDirectoryChange[] { new("ada", true), new("ada", false) }, readPageLog.Changes);
        Assert.Equal(new[] { new WakeupBooking("shop/u/ada", At) }, readBucketLog.Changes);
    }

    [Fact]
    public void A_shard_record_of_a_newer_format_version_or_cut_off_is_refused_as_unreadable()
    {
        var index = new SegmentIndexState();
        for (int i = 0; i < 100; i++) index.Members.Add($"user-{i}");
        var stored = storageSerializer.Serialize(index).ToArray();

        var newer = (byte[])stored.Clone();
        newer[4] = 2;
        Assert.Contains("format version 2", Assert.Throws<UnreadableStateException>(() => storageSerializer.Deserialize<SegmentIndexState>(new BinaryData(newer))).Message);
        Assert.Throws<UnreadableStateException>(() => storageSerializer.Deserialize<SegmentIndexState>(new BinaryData(stored[..(stored.Length / 2)])));
    }

    [Fact]
    public void States_not_written_per_event_stay_in_Orleans_format()
    {
        var catalog = new SegmentCatalogState();

        Assert.False(StoredStateFormat.IsTagged(storageSerializer.Serialize(catalog).ToArray()));
        Assert.False(StoredStateFormat.IsTagged(storageSerializer.Serialize(new UserDirectoryState()).ToArray()));
    }

    /// <summary>Ordinal order differs from the culture's for these (case, accents, markup).</summary>
    private static readonly string[] OrdinalTricky = ["b", "a", "B", "A", "ä", "Z", "<script>x</script>", "user-10", "user-9", ""];

    /// <summary>
    /// Stores <paramref name="value"/> tagged, reads it back, and reads the same value stored in Orleans' format
    /// (as every version before wrote it); both must equal the original member for member.
    /// </summary>
    private T RoundTrip<T>(T value)
        where T : class
    {
        var stored = storageSerializer.Serialize(value).ToArray();
        Assert.True(StoredStateFormat.IsTagged(stored));
        var read = storageSerializer.Deserialize<T>(new BinaryData(stored))!;

        byte[] earlier = Orleans.SerializeToArray(value);
        Assert.False(StoredStateFormat.IsTagged(earlier));
        var readEarlier = storageSerializer.Deserialize<T>(new BinaryData(earlier))!;

        string expected = System.Text.Json.JsonSerializer.Serialize(value, JsonOptions);
        Assert.Equal(expected, System.Text.Json.JsonSerializer.Serialize(read, JsonOptions));
        Assert.Equal(expected, System.Text.Json.JsonSerializer.Serialize(readEarlier, JsonOptions));
        Assert.True(StoredStateFormat.IsTagged(storageSerializer.Serialize(readEarlier).ToArray()));
        return read;
    }

    /// <summary>Every member of a profile, at every depth, as text: equal texts are equal profiles.</summary>
    private static string Json(UserProfileState? profile) => System.Text.Json.JsonSerializer.Serialize(profile, JsonOptions);

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Names every stored member (one with an Orleans <c>[Id]</c>) that holds its default, at every depth.</summary>
    private static void FindUnset(object value, string path, List<string> unset)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<IdAttribute>() is null) continue;
            object? member = property.GetValue(value);
            string at = $"{path}.{property.Name}";
            switch (member)
            {
                case null:
                case false:
                case IConvertible c when member.GetType().IsPrimitive && Convert.ToDouble(c, System.Globalization.CultureInfo.InvariantCulture) == 0:
                case DateTime d when d == default:
                case TimeSpan t when t == default:
                case ICollection { Count: 0 }:
                    unset.Add(at);
                    break;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary) Inspect(entry.Value, $"{at}[{entry.Key}]", unset);
                    break;
                case IEnumerable items when member is not string:
                    foreach (object? item in items) Inspect(item, $"{at}[]", unset);
                    break;
                default:
                    Inspect(member, at, unset);
                    break;
            }
        }
    }

    private static void Inspect(object? value, string path, List<string> unset)
    {
        if (value is null) unset.Add(path);
        else if (value.GetType().Namespace?.StartsWith("Orleans.Segments", StringComparison.Ordinal) == true && !value.GetType().IsEnum) FindUnset(value, path, unset);
    }
}
