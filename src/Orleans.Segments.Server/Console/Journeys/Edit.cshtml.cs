using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Contracts;
using Orleans.Segments.Journeys;
using Orleans.Segments.Server.Apis;

namespace Orleans.Segments.Server.Console.Journeys;

/// <summary>
/// A journey's definition as the API's JSON (docs/journeys.md), edited in the console and checked by the API's own
/// reader: every problem listed with its path (<c>steps[2].next: no step "tip"</c>), nothing saved until all are
/// fixed. Saving a draft replaces it; saving a launched journey makes a new version.
/// </summary>
public sealed class EditModel(JourneyService journeys) : PageModel
{
    /// <summary>The id in the path (null on the page for a new one).</summary>
    public string? Id => RouteData.Values.TryGetValue("id", out var value) ? value as string : null;

    public bool IsNew => Id is null;

    public string NewId { get; private set; } = "";

    public string Json { get; private set; } = "";

    public Orleans.Segments.Journeys.JourneyView? Journey { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (IsNew)
        {
            using var example = JsonDocument.Parse(ApiDocs.JourneyExample);
            Json = Indented(example.RootElement);
            return Page();
        }

        if (!ResourceId.IsValid(Id)) return NotFound();
        Journey = await journeys.GetAsync(ConsoleAuth.AppId(HttpContext), Id!);
        if (Journey is null) return NotFound();
        Json = Indented(JsonSerializer.SerializeToElement(JourneyContract.Write(Journey.Definition), ContractsJson.Default.JourneyInput));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? id, string? definition)
    {
        string app = ConsoleAuth.AppId(HttpContext);
        NewId = id ?? "";
        Json = definition ?? "";
        string? target = IsNew ? id?.Trim() : Id;
        if (!IsNew)
        {
            if (!ResourceId.IsValid(Id)) return NotFound();
            Journey = await journeys.GetAsync(app, Id!);
            if (Journey is null) return NotFound();
        }

        if (!ResourceId.IsValid(target)) return Invalid([$"id: {ResourceId.Rule}."]);
        if (IsNew && await journeys.GetAsync(app, target!) is not null) return Invalid([$"id: there is already a journey '{target}'; open it to edit it, or choose another id."]);
        if (System.Text.Encoding.UTF8.GetByteCount(Json) > JourneysApi.MaxBodyBytes) return Invalid([$"definition: more than {JourneysApi.MaxBodyBytes / 1024} KB."]);

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(Json, new JsonDocumentOptions { MaxDepth = JsonBody.MaxDepth });
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Invalid([$"definition: not JSON ({ex.Message.Split(" Path:")[0]})"]);
        }

        if (body.ValueKind != JsonValueKind.Object) return Invalid(["definition: a JSON object, as in docs/journeys.md."]);
        var saved = await journeys.SaveAsync(app, target!, body);
        if (saved.Status is not (CampaignCommandStatus.Created or CampaignCommandStatus.Ok)) return Invalid(saved.Errors);

        TempData["Notice"] = saved.Status == CampaignCommandStatus.Created
            ? $"Journey {target} created as a draft; launch it when it is ready."
            : saved.Journey!.Status == JourneyStatus.Draft ? $"Journey {target} saved." : $"Journey {target} saved as version {saved.Journey.Version}.";
        return Redirect($"/console/journeys/{Uri.EscapeDataString(target!)}");
    }

    private PageResult Invalid(IReadOnlyList<string> errors)
    {
        Errors = errors;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    /// <summary>The JSON indented, without the fields left out (null), with text as written (the page HTML-encodes it).</summary>
    private static string Indented(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(element, writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Null) continue;
                    writer.WritePropertyName(property.Name);
                    Write(property.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) Write(item, writer);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
