using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.Rpc;
using BmwWallbox.Ocpp.Schemas;
using BmwWallbox.Ocpp.State;

namespace BmwWallbox.Ocpp.Benchmarks;

/// <summary>--stages: each step of the TransactionEvent path alone, to see where time and bytes go.</summary>
internal static class Stages
{
    public static void Run(int calls)
    {
        var text = Frames.All[0].Frame.Replace(Frames.SeqNo, "17", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        var call = (RpcCall)RpcFrame.Parse(text);
        var request = call.Payload.Deserialize(OcppJsonContext.Default.TransactionEventRequest)!;
        var tracker = new StationTracker(new WallboxState { StationId = "s", Name = "s" }, 0);
        var seq = 0;
        Measure("UTF-8 to string", calls, () => Encoding.UTF8.GetString(bytes));
        Measure("RpcFrame.Parse", calls, () =>
        {
            var frame = RpcFrame.Parse(bytes, out var document);
            document?.Dispose();
            return frame;
        });
        Measure("schema validation", calls, () => OcppSchemas.Default.ValidateRequest("TransactionEvent", call.Payload));
        Measure("deserialise", calls, () => call.Payload.Deserialize(OcppJsonContext.Default.TransactionEventRequest));
        Measure("MeterReading.Read", calls, () => MeterReading.Read(request.MeterValue![0]));
        Measure("StateReducer.Transaction", calls, () => tracker.State = StateReducer.Transaction(tracker, request with { SeqNo = ++seq }, DateTimeOffset.UtcNow).Item1);
        Measure("serialise reply", calls, () =>
        {
            using var frame = new PooledBufferWriter();
            RpcFrame.WriteResult(frame, "17", RpcReply.Result(new TransactionEventResponse(), OcppJsonContext.Default.TransactionEventResponse));
            return frame.WrittenMemory.Length;
        });
    }

    private static void Measure(string name, int calls, Func<object?> step)
    {
        for (var i = 0; i < calls / 10; i++) step();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        for (var i = 0; i < calls; i++) step();
        process.Refresh();
        var elapsed = process.TotalProcessorTime - cpu; // CPU, not wall time: steadier on a shared machine
        Console.WriteLine($"| {name} | {elapsed.TotalMicroseconds / calls:F2} | {(GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)calls:N0} |");
    }
}
