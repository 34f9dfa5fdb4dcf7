namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>An app every test process serves, with its keys.</summary>
public sealed record TestApp(string Id, string WriteKey, string AdminKey)
{
    public static readonly TestApp Shop = new("shop", "wk_shop_0123456789abcdef", "ak_shop_0123456789abcdef");

    public static readonly TestApp Other = new("other", "wk_other_0123456789abcdef", "ak_other_0123456789abcdef");

    public const string OperatorKey = "op_0123456789abcdef0123";
}
