using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Orleans.Segments.Domain.Json;

/// <summary>
/// The one reading of JSON request bodies: every malformed input (invalid UTF-8, an escaped lone surrogate such
/// as <c>"\ud800"</c>, any syntax error, nesting too deep) is found here and named, so no later read of a string
/// can throw. Every route parses its body through <see cref="TryParse"/>.
/// </summary>
public static class JsonInput
{
    /// <summary>
    /// Parses <paramref name="body"/> into a document, or says what is wrong with it (and where, in bytes).
    /// The caller disposes the document.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, int maxDepth, out JsonDocument? document, out string? error)
    {
        document = null;
        error = FindEncodingProblem(body.Span, maxDepth);
        if (error is not null) return false;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
            return true;
        }
        catch (JsonException ex)
        {
            error = $"malformed JSON ({Describe(ex)})";
            return false;
        }
    }

    /// <summary>
    /// Null when every string and property name of <paramref name="body"/> reads as text; otherwise why not.
    /// Syntax errors are left to the parser, which reports them with their line.
    /// </summary>
    public static string? FindEncodingProblem(ReadOnlySpan<byte> body, int maxDepth)
    {
        // Why: JsonDocument accepts invalid UTF-8 inside strings and only throws when such a string is read.
        if (!Utf8.IsValid(body))
        {
            return $"not valid UTF-8 (the first invalid byte is at offset {FirstInvalidUtf8(body)}).";
        }

        // Why: an escaped lone surrogate is valid JSON syntax but no text; it can only hide behind "\u", so the
        // common body without one costs a single vectorized search.
        if (body.IndexOf("\\u"u8) < 0) return null;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth });
        char[] buffer = ArrayPool<char>.Shared.Rent(256);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
                int length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
                if (buffer.Length < length)
                {
                    ArrayPool<char>.Shared.Return(buffer);
                    buffer = ArrayPool<char>.Shared.Rent(length);
                }

                try
                {
                    reader.CopyString(buffer);
                }
                catch (InvalidOperationException)
                {
                    string what = reader.TokenType == JsonTokenType.PropertyName ? "a property name" : "a string";
                    return $"{what} at offset {reader.TokenStartIndex} holds an escaped lone surrogate (such as \\ud800), which is not text.";
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The parser's message without the type names it sometimes carries.</summary>
    public static string Describe(JsonException exception) =>
        exception.Message.Replace("System.Text.Json.", "", StringComparison.Ordinal);

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> body)
    {
        int offset = 0;
        while (offset < body.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(body[offset..], out _, out int consumed);
            if (status != OperationStatus.Done) return offset;
            offset += consumed;
        }

        return offset;
    }
}
