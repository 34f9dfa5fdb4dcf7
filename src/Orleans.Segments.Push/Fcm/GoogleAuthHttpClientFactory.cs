using System.Net.Http;
using Google.Apis.Http;
using Orleans.Segments.Push.Hosting;

namespace Orleans.Segments.Push.Fcm;

/// <summary>Gives Google.Apis.Auth's token requests the same transport settings as our sends (tests trust their stand-in here).</summary>
internal sealed class GoogleAuthHttpClientFactory(PushTransportOptions transport) : HttpClientFactory
{
    protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) => PushHttp.CreateHandler(transport);
}
