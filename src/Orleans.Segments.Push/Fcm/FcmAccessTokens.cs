using System.Net.Http;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Orleans.Segments.Push.Hosting;

namespace Orleans.Segments.Push.Fcm;

/// <summary>
/// OAuth 2 access tokens for FCM from a service account, through Google.Apis.Auth: it signs the JWT assertion,
/// caches the token and refreshes it before it expires, one refresh at a time however many sends ask.
/// </summary>
internal sealed class FcmAccessTokens
{
    public const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    private readonly ServiceAccountCredential credential;

    public FcmAccessTokens(JsonCredentialParameters account, PushTransportOptions transport, TimeProvider time)
    {
        // Why: built from the parsed JSON rather than GoogleCredential.FromJson so that the JSON's token_uri,
        // our clock and our transport all apply; FromJson is also obsolete for untrusted input.
        var initializer = new ServiceAccountCredential.Initializer(account.ClientEmail, account.TokenUri ?? GoogleAuthConsts.OidcTokenUrl)
        {
            ProjectId = account.ProjectId,
            KeyId = account.PrivateKeyId,
            Scopes = [Scope],
            Clock = new TimeProviderClock(time),
            HttpClientFactory = new GoogleAuthHttpClientFactory(transport),
        };
        credential = new ServiceAccountCredential(initializer.FromPrivateKey(account.PrivateKey));
    }

    /// <summary>The current token, fetched or refreshed first when it is missing or about to expire.</summary>
    public Task<string> GetAsync(CancellationToken cancellationToken) =>
        credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);

    /// <summary>Fetches a new token now, after FCM refused the current one.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await credential.RequestAccessTokenAsync(cancellationToken);
        }
        catch (Exception e) when (e is TokenResponseException or HttpRequestException)
        {
            // Why: the send then ends as a transient failure carrying FCM's 401, which is the more useful reason.
            return false;
        }
    }
}
