using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// The JSON of <c>GET /v1/users/{userId}/export</c>: the stored profile as it is, field by field. Message ids
/// are held only as 64-bit hashes (de-duplication keys), so the export shows those hashes.
/// </summary>
public sealed record UserExport(string UserId, string AppId, DateTime ExportedAt, UserProfileState Profile);
