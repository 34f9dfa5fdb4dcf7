using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Users;

namespace Orleans.Segments.Benchmarks.Workload;

/// <summary>
/// A user as a live app has them after a month (issue 13): 60 days of sessions (<see cref="UserHistory"/>,
/// regular shape), 12 event names, three push devices (two iOS, one Android) and 30 days of messages already
/// in the log and the send ledger, so every write of the benchmarks carries what a real user's write carries.
/// </summary>
public static class RealisticUser
{
    /// <summary>Event names beyond the five of <see cref="UserHistory"/>: searches, wish lists, coupons, reviews...</summary>
    private static readonly string[] MoreNames = ["Products Searched", "Wishlist Product Added", "Coupon Viewed", "Product Reviewed", "Category Viewed", "Checkout Started", "Cart Viewed"];

    /// <summary>How many earlier messages each user's log holds.</summary>
    public const int Messages = 20;

    /// <summary>Every event of the user's history, the devices included, oldest first.</summary>
    public static UserEvent[] Events(Persona persona, DateTime lastSeen)
    {
        var events = UserHistory.Of(persona, lastSeen, UserShape.Regular).SelectMany(s => s.Events).ToList();
        events.AddRange(Extras(persona, events[0].Timestamp));
        events.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return events.ToArray();
    }

    /// <summary>
    /// What a regular history (<see cref="UserHistory"/>) lacks for a live app's user: seven more event names,
    /// twice each over the 59 days after <paramref name="first"/>, and an iOS and an Android push device.
    /// </summary>
    public static List<UserEvent> Extras(Persona persona, DateTime first)
    {
        var random = new Random(persona.Number * 7 + 3);
        var events = new List<UserEvent>();
        foreach (string name in MoreNames)
        {
            for (int i = 0; i < 2; i++)
            {
                events.Add(new UserEvent(EventKind.Track, Persona.NewGuid(random), first.AddDays(random.Next(1, 59)).AddMinutes(random.Next(1440))) { Name = name, AnonymousId = persona.AnonymousId });
            }
        }

        events.Add(new UserEvent(EventKind.Identify, Persona.NewGuid(random), first.AddMinutes(5)) { Device = new DeviceToken(Convert.ToHexStringLower(RandomBytes(random, 32)), PushPlatform.Ios) });
        events.Add(new UserEvent(EventKind.Identify, Persona.NewGuid(random), first.AddMinutes(6)) { Device = new DeviceToken(FcmToken(random), PushPlatform.Android) });
        events.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return events;
    }

    /// <summary>Makes user <paramref name="number"/> a realistic one: its history (<see cref="Events"/>), consents and earlier messages.</summary>
    public static async Task SeedAsync(IUserGrain user, int number, DateTime lastSeen)
    {
        var events = Events(Persona.Of(number), lastSeen);
        var receipt = await user.Ingest(events);
        if (receipt.Applied != events.Length) throw new InvalidOperationException($"user {number}: {receipt.Applied} of {events.Length} events applied");
        await user.SetSubscriptions(true, true);
        await SendHistoryAsync(user, number);
    }

    /// <summary>Gives a user who already has a regular history what <see cref="Extras"/> adds, consents and earlier messages.</summary>
    public static async Task CompleteAsync(IUserGrain user, int number, DateTime first)
    {
        var events = Extras(Persona.Of(number), first);
        var receipt = await user.Ingest(events.ToArray());
        if (receipt.Applied != events.Count) throw new InvalidOperationException($"user {number}: {receipt.Applied} of {events.Count} events applied");
        await user.SetSubscriptions(true, true);
        await SendHistoryAsync(user, number);
    }

    /// <summary>Sends the user <see cref="Messages"/> transactional messages through its grain, as its earlier month of messages.</summary>
    public static async Task SendHistoryAsync(IUserGrain user, int number)
    {
        for (int i = 0; i < Messages; i++)
        {
            var request = new SendRequest($"history-{i % 5}", $"h-{number}-{i}", MessageCategory.Transactional, MessagePriority.Normal);
            var result = await user.Send(request, new CampaignMessage($"Order update {i}", "Your order is on its way"), null);
            if (result.Status is not (MessageStatus.Delivered or MessageStatus.HandedOver)) throw new InvalidOperationException($"history message {i} of user {number}: {result.Status} {result.Detail}");
        }
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>An FCM registration token's shape: 22 characters, a colon, 140 more (URL-safe base64).</summary>
    private static string FcmToken(Random random) =>
        Convert.ToBase64String(RandomBytes(random, 17)).TrimEnd('=').Replace('+', '-').Replace('/', '_')[..22] + ":APA91b" +
        Convert.ToBase64String(RandomBytes(random, 110)).TrimEnd('=').Replace('+', '-').Replace('/', '_')[..134];
}
