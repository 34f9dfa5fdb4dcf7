using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Push.Hosting;
using Orleans.Segments.Push.StandIns;

namespace Orleans.Segments.Push.Tests;

/// <summary>Credentials that cannot work fail at start-up (ValidateOnStart) with a message naming the key, never the secret.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private static readonly Uri TokenUri = new("https://127.0.0.1:1/token");

    private readonly (ECDsa Key, string P8) apnsKey = TestKeys.NewApnsKey();
    private readonly RSA accountKey = RSA.Create(2048);
    private readonly string directory = Directory.CreateTempSubdirectory("segments-push-").FullName;

    public void Dispose()
    {
        apnsKey.Key.Dispose();
        accountKey.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void ValidCredentialsFromTextAndFromFilesStart()
    {
        string p8Path = Path.Combine(directory, "AuthKey_ABC123DEFG.p8");
        File.WriteAllText(p8Path, apnsKey.P8);
        string accountPath = Path.Combine(directory, "service-account.json");
        File.WriteAllText(accountPath, ServiceAccount());

        using var services = Build(new()
        {
            ["Segments:Apps:shop:Push:Apns:PrivateKey"] = apnsKey.P8,
            ["Segments:Apps:shop:Push:Fcm:ServiceAccountJson"] = ServiceAccount(),
            ["Segments:Apps:news:Push:Apns:PrivateKeyPath"] = p8Path,
            ["Segments:Apps:news:Push:Apns:Environment"] = "production",
            ["Segments:Apps:news:Push:Fcm:ServiceAccountPath"] = accountPath,
        });

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(Apns.ApnsEnvironment.Production, services.GetRequiredService<IOptionsMonitor<AppPushOptions>>().Get("news").Apns!.Environment);
    }

    [Fact]
    public void P8ThatIsAnRsaKeyFailsAtStartup()
    {
        using var rsa = RSA.Create(2048);

        string message = StartupFailure(new() { ["Segments:Apps:shop:Push:Apns:PrivateKey"] = rsa.ExportPkcs8PrivateKeyPem() });

        Assert.Contains("Segments:Apps:shop:Push:Apns:PrivateKey is unusable: not an EC P-256 private key", message);
    }

    [Fact]
    public void P8OnAnotherCurveFailsAtStartup()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        string message = StartupFailure(new() { ["Segments:Apps:shop:Push:Apns:PrivateKey"] = p384.ExportPkcs8PrivateKeyPem() });

        Assert.Contains("not on the P-256 curve", message);
        Assert.DoesNotContain(p384.ExportPkcs8PrivateKeyPem()[30..60], message);
    }

    [Fact]
    public void MissingP8FileFailsAtStartup()
    {
        string message = StartupFailure(new()
        {
            ["Segments:Apps:shop:Push:Apns:PrivateKey"] = null,
            ["Segments:Apps:shop:Push:Apns:PrivateKeyPath"] = Path.Combine(directory, "missing.p8"),
        });

        Assert.Contains("PrivateKeyPath is unusable: the key file cannot be read", message);
    }

    [Theory]
    [InlineData("KeyId", "abc123defg")]
    [InlineData("KeyId", "ABC123")]
    [InlineData("TeamId", "DEF123GHIJK")]
    [InlineData("BundleId", "shop")]
    [InlineData("TokenRefreshInterval", "00:10:00")]
    [InlineData("TokenRefreshInterval", "01:30:00")]
    public void ApnsSettingOfTheWrongShapeFailsAtStartup(string key, string value)
    {
        string message = StartupFailure(new() { [$"Segments:Apps:shop:Push:Apns:{key}"] = value });

        Assert.Contains($"Segments:Apps:shop:Push:Apns:{key}", message);
    }

    [Fact]
    public void ServiceAccountWithoutPrivateKeyFailsAtStartup()
    {
        string json = ServiceAccount().Replace("\"private_key\":", "\"private_key_removed\":", StringComparison.Ordinal);

        string message = StartupFailure(new() { ["Segments:Apps:shop:Push:Fcm:ServiceAccountJson"] = json });

        Assert.Contains("Segments:Apps:shop:Push:Fcm:ServiceAccountJson is unusable: the service account JSON has no \"private_key\"", message);
    }

    [Fact]
    public void ServiceAccountWithoutClientEmailFailsAtStartup()
    {
        string json = ServiceAccount().Replace("\"client_email\":", "\"client_mail\":", StringComparison.Ordinal);

        Assert.Contains("has no \"client_email\"", StartupFailure(new() { ["Segments:Apps:shop:Push:Fcm:ServiceAccountJson"] = json }));
    }

    [Fact]
    public void ServiceAccountThatIsNotJsonFailsAtStartupWithoutQuotingIt()
    {
        string message = StartupFailure(new() { ["Segments:Apps:shop:Push:Fcm:ServiceAccountJson"] = "{ secret-looking-text" });

        Assert.Contains("is not valid JSON", message);
        Assert.DoesNotContain("secret-looking-text", message);
    }

    [Fact]
    public void ProjectIdOfTheWrongShapeFailsAtStartup()
    {
        Assert.Contains("Fcm:ProjectId", StartupFailure(new() { ["Segments:Apps:shop:Push:Fcm:ProjectId"] = "Shop App" }));
    }

    [Fact]
    public async Task AppWithoutCredentialsUsesTheLogSender()
    {
        using var services = Build(new() { ["Segments:Apps:shop:WriteKey"] = "shop-write-key-0001" }, withCredentials: false);
        services.GetRequiredService<IStartupValidator>().Validate();

        var outcome = await services.GetRequiredService<PushSenders>().For("shop").SendAsync(Messages.Alert, new DeviceToken(Credentials.NewApnsToken(), PushPlatform.Ios));

        Assert.StartsWith("log:", Assert.IsType<Delivered>(outcome).ProviderId);
    }

    private string StartupFailure(Dictionary<string, string?> settings)
    {
        using var services = Build(settings);
        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        return failure.Message;
    }

    /// <summary>A container as the server builds it, from valid credentials overridden by <paramref name="settings"/>.</summary>
    private ServiceProvider Build(Dictionary<string, string?> settings, bool withCredentials = true)
    {
        var all = new Dictionary<string, string?>();
        if (withCredentials)
        {
            all["Segments:Apps:shop:Push:Apns:KeyId"] = Credentials.KeyId;
            all["Segments:Apps:shop:Push:Apns:TeamId"] = Credentials.TeamId;
            all["Segments:Apps:shop:Push:Apns:BundleId"] = Credentials.BundleId;
            all["Segments:Apps:shop:Push:Apns:PrivateKey"] = apnsKey.P8;
            all["Segments:Apps:shop:Push:Fcm:ProjectId"] = Credentials.ProjectId;
            all["Segments:Apps:shop:Push:Fcm:ServiceAccountJson"] = ServiceAccount();
            if (settings.Keys.Any(k => k.StartsWith("Segments:Apps:news", StringComparison.Ordinal)))
            {
                foreach (string key in new[] { "KeyId", "TeamId", "BundleId" }) all[$"Segments:Apps:news:Push:Apns:{key}"] = all[$"Segments:Apps:shop:Push:Apns:{key}"];
                all["Segments:Apps:news:Push:Fcm:ProjectId"] = Credentials.ProjectId;
            }
        }

        foreach (var (key, value) in settings) all[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all.Where(e => e.Value is not null)).Build();
        return new ServiceCollection().AddLogging().AddSegmentsPush(configuration).BuildServiceProvider();
    }

    private string ServiceAccount() => TestKeys.ServiceAccountJson(accountKey, TokenUri, Credentials.ProjectId, Credentials.ClientEmail);
}
