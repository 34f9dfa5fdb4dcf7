using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Segments.Contracts;

/// <summary>
/// The serializer of every API body, generated at build time: camelCase names, nulls written as null. Request bodies
/// (the <c>*Input</c> records) refuse unknown members, so a typo in a field is an error rather than a silently ignored
/// setting; answers skip them, so a client keeps working when the server adds a field. Numbers are numbers: a quoted
/// number is refused (the web defaults would read it).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    AllowTrailingCommas = false,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    MaxDepth = 32)]
[JsonSerializable(typeof(SegmentInput))]
[JsonSerializable(typeof(SegmentPreviewInput))]
[JsonSerializable(typeof(SegmentView))]
[JsonSerializable(typeof(SegmentList))]
[JsonSerializable(typeof(MembersPage))]
[JsonSerializable(typeof(SegmentPreview))]
[JsonSerializable(typeof(SegmentExplanation))]
[JsonSerializable(typeof(GeofenceInput))]
[JsonSerializable(typeof(GeofenceView))]
[JsonSerializable(typeof(GeofenceList))]
[JsonSerializable(typeof(CampaignInput))]
[JsonSerializable(typeof(CampaignCommandInput))]
[JsonSerializable(typeof(CampaignView))]
[JsonSerializable(typeof(CampaignList))]
[JsonSerializable(typeof(CampaignStatsView))]
[JsonSerializable(typeof(JourneyInput))]
[JsonSerializable(typeof(JourneyView))]
[JsonSerializable(typeof(JourneyList))]
[JsonSerializable(typeof(JourneyEnterInput))]
[JsonSerializable(typeof(JourneyEnterResult))]
[JsonSerializable(typeof(JourneyStatsView))]
[JsonSerializable(typeof(UserJourneys))]
[JsonSerializable(typeof(DeviceInput))]
[JsonSerializable(typeof(SubscriptionsInput))]
[JsonSerializable(typeof(SubscriptionsInfo))]
[JsonSerializable(typeof(PushDeviceInfo))]
[JsonSerializable(typeof(TransactionalMessageInput))]
[JsonSerializable(typeof(MessageAnswer))]
[JsonSerializable(typeof(MessageLog))]
[JsonSerializable(typeof(UserProfile))]
[JsonSerializable(typeof(SegmentCall))]
[JsonSerializable(typeof(SegmentBatch))]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(ImportAnswer))]
[JsonSerializable(typeof(TestSendInput))]
[JsonSerializable(typeof(TestSendAnswer))]
[JsonSerializable(typeof(TestUserInput))]
[JsonSerializable(typeof(TestUserView))]
[JsonSerializable(typeof(TestUserList))]
[JsonSerializable(typeof(WebhookInput))]
[JsonSerializable(typeof(WebhookCommandInput))]
[JsonSerializable(typeof(WebhookView))]
[JsonSerializable(typeof(WebhookList))]
[JsonSerializable(typeof(WebhookTestAnswer))]
[JsonSerializable(typeof(DeadLetterList))]
[JsonSerializable(typeof(LiveActivityTokenInput))]
[JsonSerializable(typeof(LiveActivityUpdateInput))]
[JsonSerializable(typeof(LiveActivityAnswer))]
[JsonSerializable(typeof(LiveActivityPushAnswer))]
public sealed partial class ContractsJson : JsonSerializerContext;
