using System.Text.Json;

namespace BmwWallbox.Mqtt.Tests;

public class SignalPayloadTests
{
    [Theory]
    [InlineData("1234.5", 1, 1234.5)]
    [InlineData(" -850 ", 1, -850)]
    [InlineData("2.5", 1000, 2500)] // kW -> W
    [InlineData("1e3", 1, 1000)]
    public void Plain_numbers_are_read_and_scaled(string payload, double scale, double expected)
    {
        var parsed = SignalPayload.Parse(payload, null, scale);
        Assert.Equal(SignalPayloadKind.Value, parsed.Kind);
        Assert.Equal(expected, parsed.Value, 6);
    }

    [Theory]
    [InlineData("unavailable")]
    [InlineData("unknown")]
    [InlineData("Unavailable")]
    [InlineData("")]
    [InlineData("nan")]
    public void No_value_words_read_as_unavailable_not_as_errors(string payload)
        => Assert.Equal(SignalPayloadKind.Unavailable, SignalPayload.Parse(payload, null, 1).Kind);

    [Theory]
    [InlineData("abc")]
    [InlineData("12 W")]
    [InlineData("1,5")]
    [InlineData("Infinity")]
    [InlineData("{\"value\": 3}")]
    public void Garbage_is_invalid_with_a_reason(string payload)
    {
        var parsed = SignalPayload.Parse(payload, null, 1);
        Assert.Equal(SignalPayloadKind.Invalid, parsed.Kind);
        Assert.False(string.IsNullOrEmpty(parsed.Error));
    }

    [Theory]
    [InlineData("""{"Time":"2024-05-01T12:00:00","ENERGY":{"Total":1234.5,"Power":523}}""", "$.ENERGY.Power", 1, 523)]
    [InlineData("""{"SML":{"Power_curr":-850,"Total_in":4321.1}}""", "$.SML.Power_curr", 1, -850)]
    [InlineData("""{"value": 1.25}""", "$.value", 1000, 1250)]
    [InlineData("""{"a":{"b":[7,8]}}""", "$.a.b[1]", 1, 8)]
    [InlineData("""{"emeters":[{"power":100.5},{"power":200}]}""", "emeters[0].power", 1, 100.5)]
    [InlineData("""{"total": "0.2345"}""", "$.total", 100, 23.45)] // price bridges often send strings
    [InlineData("""[{"x":1},{"x":2}]""", "$[1].x", 1, 2)]
    [InlineData("""{"key with space": 5}""", "$['key with space']", 1, 5)]
    public void Json_paths_select_the_value(string payload, string path, double scale, double expected)
    {
        var parsed = SignalPayload.Parse(payload, JsonPath.Parse(path), scale);
        Assert.Equal(SignalPayloadKind.Value, parsed.Kind);
        Assert.Equal(expected, parsed.Value, 6);
    }

    [Fact]
    public void Json_null_reads_as_unavailable() // Victron publishes {"value": null} for an invalid reading
        => Assert.Equal(SignalPayloadKind.Unavailable, SignalPayload.Parse("""{"value": null}""", JsonPath.Parse("$.value"), 1).Kind);

    [Theory]
    [InlineData("""{"ENERGY":{}}""", "$.ENERGY.Power", "no value at")]
    [InlineData("not json", "$.value", "not JSON")]
    [InlineData("""{"value": true}""", "$.value", "not a number")]
    [InlineData("""{"value": {"x": 1}}""", "$.value", "not a number")]
    [InlineData("""{"a": [1]}""", "$.a[3]", "no value at")]
    public void Json_payloads_without_a_number_there_are_invalid(string payload, string path, string reason)
    {
        var parsed = SignalPayload.Parse(payload, JsonPath.Parse(path), 1);
        Assert.Equal(SignalPayloadKind.Invalid, parsed.Kind);
        Assert.Contains(reason, parsed.Error);
    }

    [Theory]
    [InlineData("$.")]
    [InlineData("$.a[")]
    [InlineData("$.a[x]")]
    [InlineData("$")]
    [InlineData("$a")]
    public void Malformed_paths_are_rejected_with_the_path_in_the_message(string path)
    {
        var error = Assert.Throws<FormatException>(() => JsonPath.Parse(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_path_without_dollar_means_the_same()
    {
        using var doc = JsonDocument.Parse("""{"ENERGY":{"Power":5}}""");
        Assert.True(JsonPath.Parse("ENERGY.Power").TryFind(doc.RootElement, out var value));
        Assert.Equal(5, value.GetDouble());
    }
}
