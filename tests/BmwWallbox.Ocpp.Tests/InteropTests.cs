using System.Diagnostics;
using System.Text;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.Tests.Support;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>
/// Our server against an independent implementation: tests/interop/wallbox.js runs ocpp-rpc in
/// strict mode (official OCPP 2.0.1 schemas both ways) as the wallbox over wss with Basic auth.
/// </summary>
public sealed class InteropTests
{
    [Fact]
    public async Task Strict_ocpp_rpc_wallbox_runs_a_whole_session_against_our_server()
    {
        var interop = Path.Combine(RepoPaths.Root, "tests", "interop");
        Assert.True(Directory.Exists(Path.Combine(interop, "node_modules", "ocpp-rpc")),
            $"The interop test needs the npm package ocpp-rpc: run `npm ci --prefix tests/interop` in {RepoPaths.Root}");

        await using var server = await OcppTestServer.StartAsync();
        using var watcher = new StateWatcher(server.Server.States);
        var caFile = Path.Combine(Path.GetTempPath(), $"ocpp-interop-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(caFile, server.Certificate!.Certificate.ExportCertificatePem());
        using var node = StartNode(interop, server, caFile);
        var output = new StringBuilder();
        node.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        node.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine("ERR " + e.Data); };
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        string Output() { lock (output) return output.ToString(); }

        try
        {
            var charging = await NextAsync(watcher, WallboxEventKind.ChargingStateChanged, Output);
            Assert.Equal(ChargingState.Charging, charging.State.ChargingState);
            Assert.Equal(("BMW", "EIAW-E22KTSE6B04"), (charging.State.Boot!.Vendor, charging.State.Boot.Model));
            Assert.Equal((11_000.0, 1_500.0, 15.9, 230.1), (charging.State.PowerW, charging.State.EnergyWh, charging.State.CurrentA, charging.State.VoltageV));

            var commands = server.Server.Commands;
            const string id = OcppTestServer.StationId;
            var txId = charging.State.Transaction!.Id;
            Ok(await commands.SetChargingProfileAsync(id, new SetChargingProfileRequest(1, new ChargingProfile(1, 0, ChargingProfilePurpose.TxDefaultProfile,
                ChargingProfileKind.Absolute, [new ChargingSchedule(1, ChargingRateUnit.A, [new ChargingSchedulePeriod(0, 10.0)])]))), Output);
            var txProfile = Ok(await commands.SetChargingProfileAsync(id, new SetChargingProfileRequest(1, new ChargingProfile(2, 0, ChargingProfilePurpose.TxProfile,
                ChargingProfileKind.Relative, [new ChargingSchedule(2, ChargingRateUnit.A, [new ChargingSchedulePeriod(0, 6.5)])], TransactionId: txId))), Output);
            Assert.Equal(ChargingProfileStatus.Accepted, txProfile.Status);
            Assert.Equal(ClearChargingProfileStatus.Unknown,
                Ok(await commands.ClearChargingProfileAsync(id, new ClearChargingProfileRequest(ChargingProfileId: 99)), Output).Status);
            var got = Ok(await commands.GetVariablesAsync(id, new GetVariablesRequest([new GetVariableData(new Component("OCPPCommCtrlr"), new Variable("HeartbeatInterval"))])), Output);
            Assert.Equal("10", got.GetVariableResult[0].AttributeValue);
            Assert.Equal("10", server.Server.States.Get(id)!.Variables["OCPPCommCtrlr.HeartbeatInterval"]);
            var set = Ok(await commands.SetVariablesAsync(id, new SetVariablesRequest([
                new SetVariableData("false", new Component("TxCtrlr"), new Variable("StopTxOnEVSideDisconnect")),
                new SetVariableData("0", new Component("SampledDataCtrlr"), new Variable("TxUpdatedInterval"))])), Output);
            Assert.Equal([SetVariableStatus.Rejected, SetVariableStatus.Accepted], set.SetVariableResult.Select(r => r.AttributeStatus));

            watcher.Drain(); // the MeterValues event to wait for is the triggered one
            Assert.Equal(TriggerMessageStatus.Accepted,
                Ok(await commands.TriggerMessageAsync(id, new TriggerMessageRequest(MessageTrigger.MeterValues, new Evse(1))), Output).Status);
            var meter = await NextAsync(watcher, WallboxEventKind.MeterValues, Output);
            Assert.Equal((7_200.0, 1_750.0, 10.4), (meter.State.PowerW, meter.State.EnergyWh, meter.State.CurrentA));

            Assert.Equal(ResetStatus.Accepted, Ok(await commands.ResetAsync(id, new ResetRequest(ResetType.Immediate)), Output).Status);
            var ended = await NextAsync(watcher, WallboxEventKind.TransactionEnded, Output);
            Assert.Equal(("ImmediateReset", ChargingState.Idle), (ended.State.Transaction!.StoppedReason, ended.State.Transaction.ChargingState));

            await node.WaitForExitAsync().WaitAsync(TestTimeouts.Slow);
            Assert.True(node.ExitCode == 0, $"wallbox.js exited with {node.ExitCode}:\n{Output()}");
            Assert.Contains("INTEROP OK", Output());
            var problems = server.Logs.AtLeast(LogLevel.Warning).Select(e => e.Message).ToList();
            Assert.True(problems.Count == 0, "our side reported:\n" + string.Join("\n", problems) + "\n" + Output());
            Assert.Equal(ConnectorStatus.Available, server.Server.States.Get(id)!.Status);
        }
        finally
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
            File.Delete(caFile);
        }
    }

    private static T Ok<T>(CommandResult<T> result, Func<string> output) where T : class
    {
        Assert.True(result.Ok, $"{result}\n{output()}");
        return result.Response!;
    }

    private static async Task<WallboxEvent> NextAsync(StateWatcher watcher, WallboxEventKind kind, Func<string> output)
    {
        try
        {
            return await watcher.NextAsync(kind);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no {kind} event; wallbox.js said:\n{output()}");
            throw;
        }
    }

    private static Process StartNode(string interop, OcppTestServer server, string caFile)
    {
        var start = new ProcessStartInfo("node", [Path.Combine(interop, "wallbox.js")])
        {
            WorkingDirectory = interop,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OCPP_URL"] = $"wss://127.0.0.1:{server.Port}";
        start.Environment["OCPP_STATION_ID"] = OcppTestServer.StationId;
        start.Environment["OCPP_PASSWORD"] = OcppTestServer.Password;
        start.Environment["OCPP_CA_FILE"] = caFile;
        return Process.Start(start) ?? throw new InvalidOperationException("node could not be started (is Node.js installed?)");
    }
}
