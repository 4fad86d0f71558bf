using System.Globalization;

namespace BmwWallbox.LoadBenchmark;

/// <summary>The CALL payloads the simulated stations send (valid against the OCPP 2.0.1 schemas).</summary>
internal static class StationMessages
{
    private static string Now => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public const string Boot = """{"reason":"PowerUp","chargingStation":{"model":"LoadBenchmark","vendorName":"bmw-rules"}}""";

    public const string Heartbeat = "{}";

    public static string Occupied => $$"""{"timestamp":"{{Now}}","connectorStatus":"Occupied","evseId":1,"connectorId":1}""";

    public static string TransactionStarted(string transactionId) =>
        $$$"""{"eventType":"Started","timestamp":"{{{Now}}}","triggerReason":"CablePluggedIn","seqNo":0,"transactionInfo":{"transactionId":"{{{transactionId}}}","chargingState":"EVConnected"},"idToken":{"idToken":"BENCH0001","type":"ISO14443"},"evse":{"id":1,"connectorId":1}}""";

    /// <summary>A periodic update while charging: energy, power, three phase currents, voltage.</summary>
    public static string TransactionUpdated(string transactionId, int seqNo, double energyWh)
    {
        var now = Now;
        var wh = energyWh.ToString("0.#", CultureInfo.InvariantCulture);
        return $$$"""{"eventType":"Updated","timestamp":"{{{now}}}","triggerReason":"MeterValuePeriodic","seqNo":{{{seqNo}}},"transactionInfo":{"transactionId":"{{{transactionId}}}","chargingState":"Charging"},"meterValue":[{"timestamp":"{{{now}}}","sampledValue":[{"value":{{{wh}}},"context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh"}},{"value":7.4,"context":"Sample.Periodic","measurand":"Power.Active.Import","unitOfMeasure":{"unit":"kW"}},{"value":10.7,"measurand":"Current.Import","phase":"L1"},{"value":10.7,"measurand":"Current.Import","phase":"L2"},{"value":10.7,"measurand":"Current.Import","phase":"L3"},{"value":230.1,"measurand":"Voltage","phase":"L1-N"}]}]}""";
    }
}
