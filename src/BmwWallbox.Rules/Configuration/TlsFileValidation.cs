using BmwWallbox.Core;
using BmwWallbox.Ocpp;

namespace BmwWallbox.Rules.Configuration;

/// <summary>The certificate files of a loaded config, read as <c>run</c> reads them at start.</summary>
internal static class TlsFileValidation
{
    public static IReadOnlyList<Problem> Check(ConfigResult loaded)
    {
        if (loaded.Config!.Ocpp.AllowInsecure) return [];
        return ServerCertificate.Refusal(loaded.TlsFiles) is { } refusal
            ? [new Problem(loaded.ConfigPath, 0, 0, refusal, "'bmw-rules doctor' checks the files step by step")]
            : [];
    }
}
