using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Charging.Tests;

public class ChargeControllersTests
{
    [Fact]
    public async Task Events_reach_the_controller_of_their_station_and_controllers_are_found_by_id_or_name()
    {
        var time = new ManualClock();
        var garageLink = new FakeWallboxLink();
        var carportLink = new FakeWallboxLink();
        var states = new FakeWallboxStates();
        var garage = new ChargeController("DE*BMW*E1", "garage", garageLink, new WallboxOptions(), time, new TestLogs().For<ChargeController>());
        var carport = new ChargeController("DE*BMW*E2", "carport", carportLink, new WallboxOptions(), time, new TestLogs().For<ChargeController>());
        await using var registry = new ChargeControllers([garage, carport], states);

        var connected = new WallboxState { StationId = "DE*BMW*E2", Name = "carport", Connected = true };
        states.Raise(new WallboxEvent(WallboxEventKind.Connected, time.GetUtcNow(), connected, null));
        states.Raise(new WallboxEvent(WallboxEventKind.Heartbeat, time.GetUtcNow(), connected, connected)); // the box's first message: the link-up goes out
        await carport.WhenIdleAsync().WaitAsync(TestTimeouts.Guard);
        await garage.WhenIdleAsync().WaitAsync(TestTimeouts.Guard);

        Assert.NotEmpty(carportLink.Calls);
        Assert.Empty(garageLink.Calls);
        Assert.Same(carport, registry.Find("carport"));
        Assert.Same(garage, registry.Find("DE*BMW*E1"));
        Assert.Null(registry.Find("shed"));
        Assert.Equal(2, registry.All.Count);
    }

    [Fact]
    public async Task Disposing_the_registry_unsubscribes_and_stops_the_controllers()
    {
        var states = new FakeWallboxStates();
        var controller = new ChargeController("DE*BMW*E1", "garage", new FakeWallboxLink(), new WallboxOptions(), new ManualClock(), new TestLogs().For<ChargeController>());
        var registry = new ChargeControllers([controller], states);

        await registry.DisposeAsync();

        Assert.Equal(0, states.SubscriberCount);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => controller.ClaimAsync(new ClaimRequest("rule:cap", 10)));
    }

    [Fact]
    public void Two_controllers_for_one_station_are_refused()
    {
        var time = new ManualClock();
        var a = new ChargeController("DE*BMW*E1", "garage", new FakeWallboxLink(), new WallboxOptions(), time, new TestLogs().For<ChargeController>());
        var b = new ChargeController("DE*BMW*E1", "carport", new FakeWallboxLink(), new WallboxOptions(), time, new TestLogs().For<ChargeController>());

        var ex = Assert.Throws<ArgumentException>(() => new ChargeControllers([a, b]));
        Assert.Contains("DE*BMW*E1", ex.Message);
    }
}
