using System.Text.Json;
using BmwWallbox.Core;

namespace BmwWallbox.Planning.Tests;

/// <summary>The JSON errors people read (forecasts, plans, the dashboard's API) say where, counted from 1, in one line.</summary>
public class JsonErrorTextTests
{
    [Theory]
    [InlineData("""{"a": x}""", "'x' is an invalid start of a value (line 1, column 7)")]
    [InlineData("""{"a":""", "Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed (line 1, column 6)")]
    [InlineData("{\n \"a\": tru\n}", "'tru }' is an invalid JSON literal. Expected the literal 'true' (line 2, column 10)")]
    public void A_syntax_error_says_line_and_column_counted_from_one(string json, string expected)
        => Assert.Equal(expected, JsonErrorText.Of(Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(json))));

    [Fact]
    public void A_value_of_the_wrong_type_says_where_it_is()
        => Assert.Equal("The JSON value could not be converted to System.Int32 (at $.a, line 1, column 10)",
            JsonErrorText.Of(Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Dictionary<string, int>>("""{"a": "x"}"""))));

    [Fact]
    public void A_forecast_that_is_not_json_gets_the_readable_text()
        => Assert.Equal("Forecast is not valid JSON: '}' is an invalid start of a value (line 1, column 4)",
            ForecastParser.Parse("[1,}", ForecastKind.Price, TimeZoneInfo.Utc).Error);

    [Fact]
    public void A_plan_that_is_not_json_gets_the_readable_text()
    {
        Assert.False(PlanTargetText.TryParse("""{"by": }""", null, out _, out var error));
        Assert.Equal("Plan is not valid JSON: '}' is an invalid start of a value (line 1, column 8)", error);
    }
}
