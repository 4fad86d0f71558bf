using BmwWallbox.Core;
using BmwWallbox.Ocpp;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.SimulatedBox;
using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.Simulation.Tests;

/// <summary>The in-process link between the simulated box and the CSMS that simulate runs on.</summary>
public sealed class BoxConnectionTests
{
    private const string Station = "DE*BMW*E0000001";

    [Fact]
    public async Task A_command_the_CSMS_sends_while_the_box_is_still_connecting_is_answered_and_the_box_boots()
    {
        // The charge controller reacts to "connected" on its own thread; when its first command is queued before
        // the CSMS has started the session, the CSMS sends it while Connect is still running. The box used to
        // answer through a session not yet set (NullReferenceException): the CSMS closed the session, the box's
        // BootNotification never got an answer and simulate waited for it forever (the hang of 1 run in ~370).
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero));
        var csms = new InProcessCsms(new OcppOptions { Stations = [new StationOptions { Id = Station, Password = "simulated-station", Name = "garage" }] },
            NullLoggerFactory.Instance, clock);
        await using var box = new SimulatedWallbox(new SimulatedBoxOptions { StationId = Station, SendHeartbeats = false, Quirks = BoxQuirks.AllOn },
            clock, NullLogger<SimulatedWallbox>.Instance);
        var connection = new BoxConnection(box, csms, NullLogger<BoxConnection>.Instance);
        Task<CommandResult<TriggerMessageResponse>>? early = null;
        csms.States.Changed += e =>
        {
            if (early is null && e.Kind == WallboxEventKind.Connected)
                early = csms.Commands.TriggerMessageAsync(Station, new TriggerMessageRequest(MessageTrigger.StatusNotification));
        };

        box.AttachInProcess(connection);
        await box.FlushAsync().WaitAsync(TestTimeouts.Guard);

        Assert.True(box.IsBootAccepted);
        Assert.NotNull(early);
        Assert.True((await early.WaitAsync(TestTimeouts.Guard)).Ok);
        await csms.DisposeAsync();
    }
}
