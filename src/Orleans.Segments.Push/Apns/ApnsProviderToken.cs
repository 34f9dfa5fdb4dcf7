using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Orleans.Segments.Push.Apns;

/// <summary>
/// The ES256 provider token (JWT) of one team's key, shared by every send. Apple rejects a token older than an
/// hour and answers <c>TooManyProviderTokenUpdates</c> to one renewed more often than every 20 minutes, so a
/// token lives exactly <see cref="ApnsOptions.TokenRefreshInterval"/> (20 to 60 minutes) and is then re-made
/// once, however many sends ask at that moment.
/// </summary>
internal sealed class ApnsProviderToken : IDisposable
{
    /// <summary>The youngest a token may be replaced at (Apple's rate rule).</summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(20);

    /// <summary>The oldest a token may be used at (Apple rejects older ones).</summary>
    public static readonly TimeSpan MaximumAge = TimeSpan.FromMinutes(60);

    private readonly ECDsa key;
    private readonly string keyId;
    private readonly string teamId;
    private readonly TimeSpan refreshInterval;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private volatile Minted? current;
    private long minted;

    public ApnsProviderToken(ECDsa key, string keyId, string teamId, TimeSpan refreshInterval, TimeProvider time)
    {
        this.key = key;
        this.keyId = keyId;
        this.teamId = teamId;
        this.refreshInterval = refreshInterval;
        this.time = time;
    }

    /// <summary>How many tokens were made so far.</summary>
    public long MintedCount => Interlocked.Read(ref minted);

    /// <summary>The token to send now, made anew only when the current one has reached the refresh interval.</summary>
    public Minted Current()
    {
        var now = time.GetUtcNow();
        var token = current;
        if (token is not null && now - token.IssuedAt < refreshInterval) return token;

        lock (gate)
        {
            token = current;
            if (token is null || now - token.IssuedAt >= refreshInterval) current = token = Mint(now);
            return token;
        }
    }

    /// <summary>
    /// After APNs answered <c>ExpiredProviderToken</c> to <paramref name="rejected"/>: the token to retry with, or
    /// null when none may be made yet. A send that raced with another refresh gets the newer token; otherwise a
    /// new one is made only if <paramref name="rejected"/> is at least <see cref="MinimumAge"/> old, because
    /// renewing sooner is exactly what Apple forbids (it would answer <c>TooManyProviderTokenUpdates</c>).
    /// </summary>
    public Minted? RenewAfterRejection(Minted rejected)
    {
        lock (gate)
        {
            if (current is { } token && !ReferenceEquals(token, rejected)) return token;
            var now = time.GetUtcNow();
            if (now - rejected.IssuedAt < MinimumAge) return null;
            return current = Mint(now);
        }
    }

    public void Dispose() => key.Dispose();

    private Minted Mint(DateTimeOffset now)
    {
        long issuedAt = now.ToUnixTimeSeconds();
        string header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"ES256","kid":"{{keyId}}"}"""));
        string claims = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"iss":"{{teamId}}","iat":{{issuedAt}}}"""));
        string signingInput = header + "." + claims;
        // Why: JWS (RFC 7518) wants the raw r||s pair, which .NET calls IEEE P1363, not the DER that X.509 uses.
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        Interlocked.Increment(ref minted);
        string jwt = signingInput + "." + Base64Url.EncodeToString(signature);
        return new Minted(jwt, "bearer " + jwt, DateTimeOffset.FromUnixTimeSeconds(issuedAt));
    }

    /// <summary>A made token, its <c>authorization</c> header value, and when it was issued (the JWT's <c>iat</c>).</summary>
    public sealed record Minted(string Jwt, string Authorization, DateTimeOffset IssuedAt);
}
