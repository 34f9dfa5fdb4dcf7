using System.IO.Hashing;
using System.Text;

namespace Orleans.Segments.Users;

/// <summary>
/// Notification ids derived from (app, user, campaign, occurrence): a retry computes the same id, so the
/// caller of an idempotent send always gets the same answer.
/// </summary>
public static class NotificationIds
{
    public static string For(UserKey user, string campaignId, string occurrence)
    {
        var bytes = Encoding.UTF8.GetBytes($"{user.GrainKey}\u001f{campaignId}\u001f{occurrence}");
        return "n_" + Convert.ToHexStringLower(XxHash128.Hash(bytes));
    }
}
