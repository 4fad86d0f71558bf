using System.Text.Json;
using BmwWallbox.Ocpp.Schemas;

namespace BmwWallbox.Ocpp.Tests.Support;

internal static class Schema
{
    /// <summary>Fails the test when <paramref name="json"/> breaks the official response schema of <paramref name="action"/>.</summary>
    public static void AssertValidResponse(string action, string json)
    {
        using var document = JsonDocument.Parse(json);
        var violation = OcppSchemas.Default.ValidateResponse(action, document.RootElement);
        Assert.True(violation is null, $"{action} response {json} breaks the schema: {violation?.Message}");
        Assert.DoesNotContain("null", json);
    }
}
