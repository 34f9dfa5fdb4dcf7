using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Benchmarks.Production;

/// <summary>A realistic profile: a month of activity, traits, interests, two devices, recent message ids.</summary>
public static class SampleProfiles
{
    public static UserProfileState Typical()
    {
        var start = new DateTime(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);
        var state = new UserProfileState();
        var policy = UserModelPolicy.Default;
        string[] names = ["Application Opened", "Product Viewed", "Added To Cart", "Order Completed", "Search"];
        string[] categories = ["books", "garden", "toys", "fashion"];
        int message = 0;
        for (int day = 0; day < 30; day++)
        {
            var events = new List<UserEvent>
            {
                new(EventKind.Identify, $"m-{message++}", start.AddDays(day))
                {
                    Traits = new Dictionary<string, TraitValue>
                    {
                        ["plan"] = TraitValue.Of(day % 2 == 0 ? "gold" : "silver", start.AddDays(day)),
                        ["age"] = TraitValue.Of(30 + day % 3, start.AddDays(day)),
                        ["newsletter"] = TraitValue.Of(true, start.AddDays(day)),
                    },
                },
            };
            for (int i = 0; i < 6; i++)
            {
                events.Add(new UserEvent(EventKind.Track, $"m-{message++}", start.AddDays(day).AddMinutes(i * 7))
                {
                    Name = names[(day + i) % names.Length],
                    Categories = [categories[(day * 7 + i) % categories.Length]],
                    Numbers = new Dictionary<string, double> { ["revenue"] = 10 + i },
                });
            }

            ProfileUpdater.Apply(state, events, start.AddDays(day).AddHours(1), policy);
        }

        ProfileUpdater.RegisterDevice(state, new DeviceToken(new string('a', 64), PushPlatform.Ios), start.AddDays(29), policy);
        ProfileUpdater.RegisterDevice(state, new DeviceToken("fcm:" + new string('b', 148), PushPlatform.Android), start.AddDays(29), policy);
        return state;
    }
}
