using BmwWallbox.Core;

namespace BmwWallbox.Ocpp.Server;

/// <summary>Refuses to start with the ocpp: section's errors (<see cref="OcppOptions.Problems"/>) or without a certificate.</summary>
internal static class OcppOptionsValidator
{
    public static void Validate(OcppOptions options, ServerCertificate? certificate)
    {
        var problems = options.Problems().ToList();
        if (!options.AllowInsecure && certificate is null)
            problems.Add(new OptionProblem("ocpp.tls", "a TLS certificate is required unless ocpp.allow_insecure is true"));
        OptionProblems.ThrowIfAnyError(problems);
    }
}
