using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

/// <summary>The status answer most CSMS calls share, with the optional statusInfo.</summary>
internal static class CallResult
{
    public static JsonObject Status(string status, string? reasonCode = null, string? info = null)
    {
        var result = new JsonObject { ["status"] = status };
        if (reasonCode is not null)
        {
            var statusInfo = new JsonObject { ["reasonCode"] = reasonCode };
            if (info is not null) statusInfo["additionalInfo"] = info.Length > 512 ? info[..512] : info;
            result["statusInfo"] = statusInfo;
        }
        return result;
    }
}
