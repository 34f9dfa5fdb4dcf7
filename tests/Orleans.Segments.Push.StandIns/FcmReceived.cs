using System.Text.Json;

namespace Orleans.Segments.Push.StandIns;

/// <summary>A send the FCM stand-in took (accepted or answered as scripted): its token, access token and the <c>message</c> object.</summary>
public sealed record FcmReceived(string DeviceToken, string AccessToken, JsonElement Message, string Protocol);
