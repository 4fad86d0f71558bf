namespace BmwWallbox.Mqtt.Tests;

public class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    [Fact]
    public void Delay_doubles_per_failure_within_jitter_and_is_capped()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(42));
        for (var failures = 1; failures <= 12; failures++)
        {
            var nominal = Math.Min(Math.Pow(2, failures - 1), 60);
            var delay = backoff.Delay(failures).TotalSeconds;
            Assert.InRange(delay, nominal * 0.8, Math.Min(nominal * 1.2, 60));
        }
        Assert.True(backoff.Delay(1000) <= Max);
    }

    [Fact]
    public void Jitter_spreads_clients_that_failed_together()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(7));
        var delays = Enumerable.Range(0, 20).Select(_ => backoff.Delay(3)).Distinct().Count();
        Assert.True(delays > 10, $"only {delays} distinct delays");
    }
}
