using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>The hand-written converters of the frequent messages read and write the same wire format as the rest.</summary>
public sealed class MessageJsonTests
{
    private const string Full = """{"eventType":"Ended","timestamp":"2025-03-01T10:00:00.000Z","triggerReason":"EVCommunicationLost","seqNo":7,"transactionInfo":{"transactionId":"tx-1","chargingState":"Idle","timeSpentCharging":3600,"stoppedReason":"EVDisconnected","remoteStartId":4},"offline":true,"numberOfPhasesUsed":3,"cableMaxCurrent":32,"reservationId":9,"evse":{"id":1,"connectorId":1},"idToken":{"idToken":"CAR1","type":"ISO14443"},"meterValue":[{"timestamp":"2025-03-01T09:59:00.000Z","sampledValue":[{"value":12345.6,"context":"Transaction.End","measurand":"Energy.Active.Import.Register","phase":"L1-N","location":"Outlet","unitOfMeasure":{"unit":"kWh","multiplier":-3}},{"value":7}]}]}""";

    [Fact]
    public void A_TransactionEvent_with_every_field_round_trips()
    {
        var request = JsonSerializer.Deserialize(Full, OcppJsonContext.Default.TransactionEventRequest)!;

        Assert.Equal((TransactionEventType.Ended, 7, "tx-1", ChargingState.Idle, StoppedReason.EVDisconnected), (request.EventType, request.SeqNo,
            request.TransactionInfo.TransactionId, request.TransactionInfo.ChargingState, request.TransactionInfo.StoppedReason));
        var sample = request.MeterValue![0].SampledValue[0];
        Assert.Equal((12345.6, Measurand.EnergyActiveImportRegister, Phase.L1N, "kWh", -3), (sample.Value, sample.Measurand, sample.Phase, sample.UnitOfMeasure!.Unit, sample.UnitOfMeasure.Multiplier));
        Assert.Equal(Full, JsonSerializer.Serialize(request, OcppJsonContext.Default.TransactionEventRequest));
    }

    [Fact]
    public void Optional_fields_are_left_out_and_unknown_ones_skipped()
    {
        var request = JsonSerializer.Deserialize(
            """{"customData":{"vendorId":"x","deep":[{"a":1}]},"eventType":"Updated","timestamp":"2025-03-01T11:00:00+01:00","triggerReason":"MeterValuePeriodic","seqNo":1,"transactionInfo":{"transactionId":"tx-2","customData":{"vendorId":"y"}},"meterValue":[{"timestamp":"2025-03-01T10:00:00Z","sampledValue":[{"value":1,"signedMeterValue":{"signedMeterData":"x","signingMethod":"m","encodingMethod":"e","publicKey":"k"}}]}]}""",
            OcppJsonContext.Default.TransactionEventRequest)!;

        Assert.Equal(
            """{"eventType":"Updated","timestamp":"2025-03-01T10:00:00.000Z","triggerReason":"MeterValuePeriodic","seqNo":1,"transactionInfo":{"transactionId":"tx-2"},"meterValue":[{"timestamp":"2025-03-01T10:00:00.000Z","sampledValue":[{"value":1}]}]}""",
            JsonSerializer.Serialize(request, OcppJsonContext.Default.TransactionEventRequest));
    }

    [Fact]
    public void A_value_of_the_wrong_kind_is_a_JSON_error_not_a_crash()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"eventType":"Updated","timestamp":12}""", OcppJsonContext.Default.TransactionEventRequest));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"eventType":"Sideways"}""", OcppJsonContext.Default.TransactionEventRequest));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"meterValue":{}}""", OcppJsonContext.Default.TransactionEventRequest));
    }

    [Fact]
    public void An_escaped_enum_name_and_a_unit_with_extra_fields_read_as_plain_ones()
    {
        var sample = JsonSerializer.Deserialize(
            """{"value":1,"measurand":"Current.Impor\u0074","phase":"L1","unitOfMeasure":{"customData":{"vendorId":"x"},"multiplier":null,"unit":"A"}}""",
            OcppJsonContext.Default.SampledValue)!;

        Assert.Equal((Measurand.CurrentImport, Phase.L1, "A", (int?)null), (sample.Measurand, sample.Phase, sample.UnitOfMeasure!.Unit, sample.UnitOfMeasure.Multiplier));
    }

    [Theory]
    [InlineData("2026-12-04T15:40:00Z")]
    [InlineData("2026-12-04T15:40:00.1Z")]
    [InlineData("2026-12-04T15:40:00.123Z")]
    [InlineData("2026-12-04T15:40:00.1234567Z")]
    [InlineData("2026-12-04T15:40:00.12345678Z")]
    [InlineData("2024-02-29T23:59:59.999Z")]
    [InlineData("2025-02-29T10:00:00Z")]
    [InlineData("2026-12-04T24:00:00Z")]
    [InlineData("2026-12-31T23:59:60Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2026-13-04T15:40:00Z")]
    [InlineData("2026-12-04T15:40:00.Z")]
    [InlineData("2026-12-04t15:40:00z")]
    [InlineData("2026-12-04T15:40:00+01:00")]
    [InlineData("2026-12-04T15:40:00")]
    [InlineData("2026-12-04T1a:40:00Z")]
    public void A_timestamp_reads_as_the_general_ISO_8601_parser_reads_it(string text)
    {
        var general = DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var expected);

        Assert.Equal(general, OcppTimestamp.TryParse(text, out var actual));
        Assert.Equal((expected.UtcTicks, expected.Offset), (actual.UtcTicks, actual.Offset));
    }
}
