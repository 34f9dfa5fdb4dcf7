using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Orleans.Segments.Contracts;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// Bulk import of users an app already has (from another tool, or its own database): NDJSON or CSV, streamed
/// line by line, each line checked whole and applied in one write of its user or refused with its number; good
/// lines are kept. Progress is recorded after every batch under the import id, so the same request sent again
/// skips what was done. An import triggers no campaign or journey.
/// </summary>
public static class ImportsApi
{
    /// <summary>Lines applied between two records of progress.</summary>
    public const int BatchLines = 1000;

    /// <summary>The largest import body (2 GB); lines stream, so memory does not grow with it.</summary>
    public const long MaxBodyBytes = 2L * 1024 * 1024 * 1024;

    private const int Concurrency = 64;

    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/users/import", Import).WithTags("Users").AddEndpointFilter<AdminAuthFilter>()
            .WithName("ImportUsers")
            .WithSummary("Imports users from NDJSON (application/x-ndjson) or CSV (text/csv) with traits, devices, consents and first/last seen; refused lines are reported with their numbers, good ones kept; ?importId= resumes.")
            .WithMetadata(new ImportBodyDocumentation()).Answers<ImportAnswer>().Admin().Problems(StatusCodes.Status415UnsupportedMediaType);
        routes.MapGet("/v1/users/imports/{importId}", Progress).WithTags("Users").AddEndpointFilter<AdminAuthFilter>()
            .WithName("ImportProgress").WithSummary("An import's progress: lines done, imported, refused (with the first 1,000 reasons).")
            .Answers<ImportAnswer>().Admin().Problems(StatusCodes.Status404NotFound);
        return routes;
    }

    /// <summary>
    /// Documents the NDJSON or CSV body in the OpenAPI document without routing on it (Accepts metadata would answer
    /// 415 before the key is checked, telling a caller without a key what the route takes).
    /// </summary>
    public sealed record ImportBodyDocumentation;

    private static IUserImportGrain Grain(IGrainFactory grains, HttpContext http, string importId) =>
        grains.GetGrain<IUserImportGrain>($"{AdminAuthFilter.Caller(http).AppId}/{importId}");

    private static async Task<IResult> Progress(string importId, HttpContext http, IGrainFactory grains)
    {
        if (!ResourceId.IsValid(importId)) return Problems.BadRequest($"'{ResourceId.Printable(importId)}' is not a valid import id: {ResourceId.Rule}.");
        return await Grain(grains, http, importId).Get() is { } progress ? Results.Ok(View(progress)) : Problems.NotFound($"No import '{importId}' in this app.");
    }

    private static async Task<IResult> Import(HttpContext http, IGrainFactory grains, TimeProvider time, CancellationToken ct)
    {
        string? mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        string? format = mediaType switch
        {
            "application/x-ndjson" or "application/jsonl" or "application/json-seq" or "application/ndjson" => "ndjson",
            "text/csv" => "csv",
            _ => null,
        };
        if (format is null) return Problems.UnsupportedMediaType("Send NDJSON (Content-Type: application/x-ndjson), one user per line, or CSV (text/csv) with a header.");
        string importId = http.Request.Query["importId"].ToString() is { Length: > 0 } given ? given : "import-" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        if (!ResourceId.IsValid(importId)) return Problems.BadRequest($"'{ResourceId.Printable(importId)}' is not a valid import id: {ResourceId.Rule}.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;

        string app = AdminAuthFilter.Caller(http).AppId;
        var progress = Grain(grains, http, importId);
        var started = await progress.Begin(format);
        long skip = started.LinesDone;
        var batch = new Batch(grains, app, importId, progress, time);
        IResult? refused = format == "ndjson"
            ? await ReadNdjson(http.Request.BodyReader, batch, skip, ct)
            : await ReadCsv(http.Request.Body, batch, skip, ct);
        if (refused is not null) return refused;
        await batch.Flush(finished: true);
        var done = (await progress.Get())!;
        return Results.Ok(View(done) with { ResumedAfter = skip > 0 ? skip : null });
    }

    private static async Task<IResult?> ReadNdjson(PipeReader reader, Batch batch, long skip, CancellationToken ct)
    {
        var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
        long line = 0;
        bool skipping = false;
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            var buffer = read.Buffer;
            while (true)
            {
                var end = buffer.PositionOf((byte)'\n');
                if (end is null)
                {
                    // Why: a line that outgrows the limit is refused without holding it: the rest of it is dropped up to its end.
                    if (buffer.Length > UserImportReader.MaxLineBytes)
                    {
                        if (!skipping) batch.Refuse(++line, skip, $"longer than {UserImportReader.MaxLineBytes} bytes.");
                        skipping = true;
                        buffer = buffer.Slice(buffer.End);
                    }

                    break;
                }

                var content = buffer.Slice(0, end.Value);
                buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
                if (skipping)
                {
                    skipping = false;
                    continue;
                }

                await Line(content, ++line);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                if (!buffer.IsEmpty && !skipping) await Line(buffer, ++line);
                break;
            }
        }

        await reader.CompleteAsync();
        return null;

        async Task Line(ReadOnlySequence<byte> content, long number)
        {
            if (number <= skip) return;
            var bytes = content.IsSingleSegment ? content.FirstSpan : content.ToArray();
            if (bytes.Length > 0 && bytes[^1] == (byte)'\r') bytes = bytes[..^1];
            if (bytes.Length > UserImportReader.MaxLineBytes)
            {
                batch.Refuse(number, skip, $"longer than {UserImportReader.MaxLineBytes} bytes.");
            }
            else if (bytes.IsEmpty || bytes.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
            {
                // Why: a blank line (a trailing newline, a separator) holds no user and is not an error.
            }
            else
            {
                try
                {
                    utf8.GetCharCount(bytes);
                    var (user, error) = UserImportReader.FromJson(bytes, batch.Now);
                    if (user is not null) batch.Add(number, user);
                    else batch.Refuse(number, skip, error!);
                }
                catch (DecoderFallbackException)
                {
                    batch.Refuse(number, skip, "not UTF-8.");
                }
            }

            if (batch.Full) await batch.Flush(finished: false);
        }
    }

    private static async Task<IResult?> ReadCsv(Stream body, Batch batch, long skip, CancellationToken ct)
    {
        using var text = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: true));
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { MaxFieldSize = UserImportReader.MaxLineBytes, BadDataFound = null, DetectColumnCountChanges = false };
        using var csv = new CsvReader(text, configuration);
        string[] header;
        try
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader()) return Problems.BadRequest("The CSV is empty: it needs a header line.", ["line 1: a header such as userId,traits.first_name,deviceToken,devicePlatform,marketing"]);
            header = csv.HeaderRecord!;
        }
        catch (Exception ex) when (ex is CsvHelperException or DecoderFallbackException)
        {
            return Problems.BadRequest("The CSV header could not be read.", [$"line 1: {Reason(ex)}"]);
        }

        if (UserImportReader.CheckHeader(header) is { } headerError) return Problems.BadRequest("The CSV header is invalid; nothing was imported.", [$"line 1: {headerError}"]);
        long row = 1;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            string[]? fields;
            long number;
            try
            {
                if (!await csv.ReadAsync()) break;
                number = ++row;
                fields = csv.Parser.Record;
            }
            catch (Exception ex) when (ex is CsvHelperException or DecoderFallbackException)
            {
                // Why: a field past the limit or bytes that are not UTF-8 end what the reader can follow; what came before is kept.
                batch.Refuse(++row, skip, Reason(ex));
                break;
            }

            if (number <= skip || fields is null) continue;
            var (user, error) = UserImportReader.FromCsv(header, fields, batch.Now);
            if (user is not null) batch.Add(number, user);
            else batch.Refuse(number, skip, error!);
            if (batch.Full) await batch.Flush(finished: false);
        }

        return null;
    }

    private static string Reason(Exception ex) => ex is DecoderFallbackException ? "not UTF-8; the rest of the file was not read." : $"unreadable CSV ({ex.GetType().Name}); the rest of the file was not read.";

    private static ImportAnswer View(ImportProgress p) => new(p.ImportId, p.Format, p.Status, p.LinesDone, p.Imported, p.Created, p.Failed,
        [.. p.Errors.Select(e => new ImportErrorView(e.Line, e.Error))], p.StartedAt, p.UpdatedAt);

    /// <summary>The lines read since the last record of progress: applied together, then recorded.</summary>
    private sealed class Batch(IGrainFactory grains, string app, string importId, IUserImportGrain progress, TimeProvider time)
    {
        private readonly List<(long Line, ImportedUser User)> users = [];
        private readonly List<ImportLineError> errors = [];
        private long lastLine;

        public DateTime Now => time.GetUtcNow().UtcDateTime;

        public bool Full => users.Count + errors.Count >= BatchLines;

        public void Add(long line, ImportedUser user)
        {
            users.Add((line, user));
            lastLine = line;
        }

        public void Refuse(long line, long skip, string error)
        {
            if (line <= skip) return;
            errors.Add(new ImportLineError(line, error));
            lastLine = line;
        }

        public async Task Flush(bool finished)
        {
            long created = 0;
            using var gate = new SemaphoreSlim(Concurrency);
            var applied = await Task.WhenAll(users.Select(async u =>
            {
                await gate.WaitAsync();
                try
                {
                    return await grains.GetGrain<IUserGrain>(UserKey.Known(app, u.User.UserId).GrainKey).Import(u.User, $"import:{importId}:{u.Line}");
                }
                finally
                {
                    gate.Release();
                }
            }));
            created = applied.Count(c => c);
            await progress.Record(lastLine, users.Count, created, errors.Count, [.. errors], finished);
            users.Clear();
            errors.Clear();
        }
    }
}
