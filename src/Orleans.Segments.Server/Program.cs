using Orleans.Segments.Server;

// Orleans.Segments: one process runs a silo, the HTTP API (Segment-compatible ingestion and management),
// the OpenAPI reference at /scalar and the Orleans dashboard at /dashboard.
var app = SegmentsServer.CreateBuilder(args).Build();
app.MapSegments();
app.Run();

/// <summary>The entry point; public so that tests can find the assembly.</summary>
public partial class Program;
