using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Tests.Campaigns;

/// <summary>Translations of a message and the choice of one for a user's locale (the order <see cref="Locales"/> states).</summary>
public sealed class LocalizationTests
{
    private static readonly DateTime At = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static CampaignMessage Message(params string[] tags) => new("Hello", "Default body")
    {
        Subtitle = "Default subtitle",
        Sound = "default",
        Translations = tags.ToDictionary(t => t, t => new MessageTranslation($"Title {t}", $"Body {t}"), StringComparer.Ordinal),
    };

    [Theory]
    [InlineData("de", "de")]
    [InlineData("DE", "de")]
    [InlineData("de_at", "de-AT")]
    [InlineData("pt-br", "pt-BR")]
    [InlineData("zh-hant-tw", "zh-Hant-TW")]
    [InlineData("es-419", "es-419")]
    [InlineData("sr-Latn", "sr-Latn")]
    public void TagsAreWrittenInTheirUsualCase(string typed, string canonical) => Assert.Equal(canonical, Locales.Canonical(typed));

    [Theory]
    [InlineData("")]
    [InlineData("d")]
    [InlineData("deutsch")]
    [InlineData("de-")]
    [InlineData("de--AT")]
    [InlineData("<b>de</b>")]
    [InlineData("de AT")]
    [InlineData("de-AT-x-y-z")]
    [InlineData("dé")]
    public void WhatIsNotALanguageTagIsRefused(string typed) => Assert.Null(Locales.Canonical(typed));

    [Theory]
    [InlineData("de-AT", "de-AT")] // the exact tag
    [InlineData("de-at", "de-AT")] // letter case aside
    [InlineData("de_AT", "de-AT")] // Android's underscore
    [InlineData("de-CH", "de")] // the parent language
    [InlineData("zh-Hant-TW", "zh-Hant")] // subtags dropped one by one
    [InlineData("pt-PT", "pt-BR")] // another region of the language
    [InlineData("fr-FR", null)] // nothing in French: the default
    [InlineData(null, null)] // no locale known: the default
    [InlineData("not a locale", null)]
    public void TheBestTranslationIsChosenInTheStatedOrder(string? locale, string? expected)
    {
        var translations = Message("de", "de-AT", "pt-BR", "zh-Hant", "zh").Translations;

        Assert.Equal(expected, Locales.Match(translations, locale));
    }

    [Fact]
    public void AmongOtherRegionsOfTheLanguageTheFirstAlphabeticallyWins()
    {
        var translations = Message("es-MX", "es-AR", "es-419").Translations;

        Assert.Equal("es-419", Locales.Match(translations, "es-ES"));
    }

    [Fact]
    public void ALocalizedMessageHasTheTranslationsTextsAndKeepsEverythingElse()
    {
        var (localized, language) = Message("de").For("de-DE");

        Assert.Equal("de", language);
        Assert.Equal("Title de", localized.Title);
        Assert.Equal("Body de", localized.Body);
        Assert.Null(localized.Subtitle); // the translation has none; the default's is not in German
        Assert.Equal("default", localized.Sound);
        Assert.Null(localized.Translations);

        var (fallback, defaultLanguage) = Message("de").For("fr");
        Assert.Equal(Locales.Default, defaultLanguage);
        Assert.Equal("Hello", fallback.Title);
    }

    [Fact]
    public void TheLocaleTraitWinsOverTheDevicesLocaleAndTheLatestDeviceSpeaksOtherwise()
    {
        var state = new UserProfileState();
        Assert.Null(Locales.Of(state));

        state.AppDevices.Add(new AppDevice { Context = new ClientContext { Key = "ios|phone-1", Locale = "fr-FR" }, LastSeenAt = At });
        state.AppDevices.Add(new AppDevice { Context = new ClientContext { Key = "ios|phone-2", Locale = "de_AT" }, LastSeenAt = At.AddDays(1) });
        Assert.Equal("de-AT", Locales.Of(state));

        state.Traits["locale"] = TraitValue.Of("pt-br", At);
        Assert.Equal("pt-BR", Locales.Of(state));

        state.Traits["locale"] = TraitValue.Of("<script>", At);
        Assert.Equal("de-AT", Locales.Of(state));
    }

    [Fact]
    public void TranslationsAreValidatedLikeTheDefaultTexts()
    {
        Assert.Null(Message("de", "pt-BR").Validate());
        Assert.Equal("translations.de: a translation needs a title or a body.",
            (new CampaignMessage("a", "b") { Translations = new() { ["de"] = new MessageTranslation(" ", "") } }).Validate());
        Assert.StartsWith("translations.de.body: ",
            (new CampaignMessage("a", "b") { Translations = new() { ["de"] = new MessageTranslation("t", "{{ traits.x ") } }).Validate());
        Assert.StartsWith("translations.de_at: not a language tag",
            (new CampaignMessage("a", "b") { Translations = new() { ["de_at"] = new MessageTranslation("t", "b") } }).Validate());
        var many = Enumerable.Range(0, 51).ToDictionary(i => $"x{(char)('a' + i / 26)}{(char)('a' + i % 26)}", _ => new MessageTranslation("t", "b"));
        Assert.Equal("translations: at most 50.", (new CampaignMessage("a", "b") { Translations = many }).Validate());
    }
}
