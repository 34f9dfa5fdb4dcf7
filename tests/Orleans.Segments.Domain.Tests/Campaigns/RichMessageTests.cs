using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Domain.Tests.Campaigns;

/// <summary>The rich fields of a message (image, buttons, category, badge, thread, channel) and what a silent push may hold.</summary>
public sealed class RichMessageTests
{
    private static readonly CampaignMessage Plain = new("Sale", "20% off");

    [Fact]
    public void AFullRichMessageIsValid()
    {
        var rich = Plain with
        {
            Image = "https://cdn.example.com/sale.jpg?w=600",
            Buttons = [new("buy", "Buy now") { DeepLink = "shop://buy" }, new("later", "Later")],
            Category = "SALE_ACTIONS", Badge = 0, ThreadId = "sales", ChannelId = "promotions",
        };

        Assert.Null(rich.Validate());
    }

    [Theory]
    [InlineData("http://cdn.example.com/a.jpg", "image: an absolute https URL")]
    [InlineData("cdn.example.com/a.jpg", "image: an absolute https URL")]
    [InlineData("javascript:alert(1)", "image: an absolute https URL")]
    [InlineData("https://cdn.example.com/a b.jpg", "image: an absolute https URL")]
    [InlineData("https:///a.jpg", "image: an absolute https URL")]
    public void AnImageMustBeAnHttpsUrl(string url, string expected) => Assert.StartsWith(expected, (Plain with { Image = url }).Validate());

    [Fact]
    public void AnImageUrlOverTwoKilobytesIsRefused()
    {
        string url = "https://cdn.example.com/" + new string('a', 2048);

        Assert.Equal("image: at most 2048 characters.", (Plain with { Image = url }).Validate());
    }

    [Fact]
    public void ButtonsAreAtMostFourWithUniqueIdsAndShortTitles()
    {
        var five = Enumerable.Range(0, 5).Select(i => new PushButton($"b{i}", "B")).ToList();

        Assert.Equal("buttons: at most 4 (what iOS and Android show).", (Plain with { Buttons = five }).Validate());
        Assert.StartsWith("buttons[1].id: 'a' is used twice", (Plain with { Buttons = [new("a", "A"), new("a", "B")] }).Validate());
        Assert.StartsWith("buttons[0].id: 1 to 64", (Plain with { Buttons = [new("<b>", "A")] }).Validate());
        Assert.StartsWith("buttons[0].title: 1 to 50", (Plain with { Buttons = [new("a", new string('x', 51))] }).Validate());
    }

    [Fact]
    public void BadgeCategoryThreadAndChannelHaveTheirLimits()
    {
        Assert.StartsWith("badge:", (Plain with { Badge = -1 }).Validate());
        Assert.StartsWith("badge:", (Plain with { Badge = 100_000 }).Validate());
        Assert.StartsWith("actionCategory:", (Plain with { Category = "has space" }).Validate());
        Assert.StartsWith("threadId:", (Plain with { ThreadId = new string('t', 65) }).Validate());
        Assert.StartsWith("channelId:", (Plain with { ChannelId = "a/b" }).Validate());
        Assert.StartsWith("data.image_url: reserved", (Plain with { Data = new() { ["image_url"] = "x" } }).Validate());
    }

    [Fact]
    public void ASilentPushHoldsDataAndNothingToShow()
    {
        var data = new CampaignMessage("", "") { Data = new() { ["sync"] = "orders" }, CollapseId = "sync" };

        Assert.Null(data.Validate(silent: true));
        Assert.Null(new CampaignMessage("", "").Validate(silent: true)); // content-available alone wakes the app
        Assert.StartsWith("a silent push shows nothing", Plain.Validate(silent: true));
        Assert.StartsWith("a silent push shows nothing", (data with { Badge = 1 }).Validate(silent: true));
        Assert.StartsWith("a silent push shows nothing", (data with { Sound = "default" }).Validate(silent: true));
        Assert.Equal("a message needs a title or a body.", data.Validate());
    }
}
