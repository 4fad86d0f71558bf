namespace BmwWallbox.Ocpp.Benchmarks;

/// <summary>The CALLs measured, as the load benchmark's stations send them; "{seq}" becomes a fresh seqNo per call.</summary>
internal static class Frames
{
    public const string SeqNo = "{seq}";

    public static readonly (string Name, string Frame)[] All =
    [
        ("TransactionEvent Updated, 6 sampled values",
            """[2,"{seq}","TransactionEvent",{"eventType":"Updated","timestamp":"2026-12-04T15:40:00.123Z","triggerReason":"MeterValuePeriodic","seqNo":{seq},"transactionInfo":{"transactionId":"tx-bench","chargingState":"Charging"},"meterValue":[{"timestamp":"2026-12-04T15:40:00.123Z","sampledValue":[{"value":12345.6,"context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh"}},{"value":7.4,"context":"Sample.Periodic","measurand":"Power.Active.Import","unitOfMeasure":{"unit":"kW"}},{"value":10.7,"measurand":"Current.Import","phase":"L1"},{"value":10.7,"measurand":"Current.Import","phase":"L2"},{"value":10.7,"measurand":"Current.Import","phase":"L3"},{"value":230.1,"measurand":"Voltage","phase":"L1-N"}]}]}]"""),
        ("Heartbeat", """[2,"{seq}","Heartbeat",{}]"""),
        ("StatusNotification", """[2,"{seq}","StatusNotification",{"timestamp":"2026-12-04T15:40:00.123Z","connectorStatus":"Occupied","evseId":1,"connectorId":1}]"""),
    ];
}
