using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Server;
using BmwWallbox.Ocpp.State;
using BmwWallbox.Ocpp.Tests.Support;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>RFID card ids are personal data and a credential: the log shows only their last characters.</summary>
public sealed class IdTokenLoggingTests
{
    private const string Station = "DE*BMW*E1";

    [Theory]
    [InlineData("")]        // every card accepted: logged at Information
    [InlineData("OTHER")]   // this card refused: logged as a warning
    public async Task Authorize_logs_the_card_id_masked(string allowedCard)
    {
        string[] allowed = allowedCard.Length == 0 ? [] : [allowedCard];
        var logs = new TestLogs();
        var time = new ManualClock();
        var options = new OcppOptions { IdTokens = allowed, Stations = [new StationOptions { Id = Station, Password = "0123456789abcdef", Name = "garage" }] };
        var handler = new StationCallHandler(new WallboxStateStore(options.Stations, time, logs.CreateLogger("state")), options, time, logs.CreateLogger("handler"));

        await handler.HandleAsync(Station, "Authorize", JsonDocument.Parse("""{"idToken":{"idToken":"04A1B2C3D4E5F6","type":"ISO14443"}}""").RootElement);

        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("04A1B2C3D4E5F6"));
        Assert.Contains(logs.Entries, e => e.Message.Contains("**********E5F6"));
    }
}
