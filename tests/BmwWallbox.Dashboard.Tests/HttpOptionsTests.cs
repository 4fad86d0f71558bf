namespace BmwWallbox.Dashboard.Tests;

public class HttpOptionsTests
{
    [Fact]
    public void By_default_it_is_on_at_8080_on_loopback_and_a_password_opens_it_to_the_network()
    {
        var options = new HttpOptions();

        Assert.Equal((true, 8080, "127.0.0.1"), (options.Enabled, options.Port, options.EffectiveBind));
        Assert.Empty(options.Problems());
        Assert.Equal("0.0.0.0", (options with { Password = "long-enough" }).EffectiveBind);
        Assert.Equal("127.0.0.1", (options with { Password = "long-enough", Bind = "127.0.0.1" }).EffectiveBind);
    }

    [Theory]
    [InlineData(70000, "", "", "http.port", "http.port 70000 is not a TCP port")]
    [InlineData(8080, "garage", "", "http.bind", "http.bind must be an IP address such as 127.0.0.1 or 0.0.0.0, got 'garage'")]
    [InlineData(8080, "0.0.0.0", "", "http.bind", "http.bind 0.0.0.0 opens the dashboard to the network without http.password: anyone there could steer the wallbox")]
    [InlineData(8080, "", "short", "http.password", "http.password is too short (5 characters, at least 8)")]
    public void Nonsense_is_named_at_its_key(int port, string bind, string password, string key, string message)
    {
        var problem = Assert.Single(new HttpOptions { Port = port, Bind = bind, Password = password }.Problems());

        Assert.Equal((key, message), (problem.Key, problem.Message));
    }

    [Fact]
    public void Switched_off_nothing_is_checked_and_the_password_is_never_printed()
    {
        Assert.Empty(new HttpOptions { Enabled = false, Bind = "0.0.0.0" }.Problems());
        Assert.DoesNotContain("secret-password", new HttpOptions { Password = "secret-password" }.ToString());
    }
}
