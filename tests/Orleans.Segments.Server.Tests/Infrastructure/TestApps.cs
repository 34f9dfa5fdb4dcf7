namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>An app the test server serves, with its keys.</summary>
public sealed record TestApp(string Id, string WriteKey, string AdminKey);

/// <summary>The two apps every test server serves: the one under test, and another that must never see it.</summary>
public static class TestApps
{
    public static readonly TestApp Shop = new("shop", "wk_shop_0123456789abcdef", "ak_shop_0123456789abcdef");

    public static readonly TestApp Other = new("other", "wk_other_0123456789abcdef", "ak_other_0123456789abcdef");

    /// <summary>An app whose pages may send events only from <see cref="WebOrigin"/>.</summary>
    public static readonly TestApp Web = new("web", "wk_web_0123456789abcdef", "ak_web_0123456789abcdef");

    public const string WebOrigin = "https://shop.example";

    /// <summary>An app with a global control group of 50 % (no marketing push reaches half of its users).</summary>
    public static readonly TestApp Lab = new("lab", "wk_lab_0123456789abcdef", "ak_lab_0123456789abcdef");

    /// <summary>The operator key of the dashboard and /metrics.</summary>
    public const string OperatorKey = "op_test_0123456789abcdef";

    /// <summary>A user id no other test uses, so tests share one server without resetting it.</summary>
    public static string NewUserId() => $"user-{Guid.NewGuid():N}";
}
