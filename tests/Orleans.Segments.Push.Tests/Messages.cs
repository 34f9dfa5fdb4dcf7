namespace Orleans.Segments.Push.Tests;

public static class Messages
{
    public static readonly PushMessage Alert = new() { Title = "Your order shipped", Body = "It arrives on Thursday." };

    public static PushMessage Oversize => new() { Title = "Big", Body = new string('x', 5000) };
}
