using BmwWallbox.TestKit.Certificates;
using BmwWallbox.TestKit.Mqtt;
using OpenQA.Selenium;

namespace BmwWallbox.Dashboard.Tests.Browser;

/// <summary>
/// The dashboard in a real browser (headless Chromium) against the daemon with the simulated box: live values
/// change without a reload, the pause button gives the box 0 A, the history page lists the sessions, and the
/// screenshots in the README come from here (examples/screenshots/).
/// </summary>
public sealed class DashboardBrowserTests(HeadlessChromium browser) : IClassFixture<HeadlessChromium>
{
    private const string Station = "#station-garage";

    private IWebElement Find(string css) => browser.Page.FindElement(By.CssSelector(css));

    [BrowserFact]
    public async Task The_page_follows_the_box_live_and_pause_gives_the_box_0_A()
    {
        await using var rig = await DashboardRig.StartAsync();
        await rig.ConnectBoxAsync();
        browser.Page.Navigate().GoToUrl(rig.Url);
        browser.WaitFor(_ => Find($"{Station} .state").Text == "no car", "the station without a car");
        Assert.False(Find($"{Station} .claims").Displayed); // no claim: no empty table
        Assert.False(Find("#certificate-notice").Displayed); // the development certificate: no renewal to remind of

        await rig.PlugInAndChargeAsync();
        browser.WaitFor(_ => Find($"{Station} .state").Text == "charging", "the station charging, without a reload");
        rig.Time.Advance(TimeSpan.FromSeconds(10)); // the controller polls the meter
        browser.WaitFor(_ => Find($"{Station} .power").Text.EndsWith(" kW", StringComparison.Ordinal), "the car's power");
        Assert.Equal("16 A", Find($"{Station} .limit").Text);
        // The rig's mode is solar without a surplus signal: why the car charges at the maximum anyway.
        Assert.Equal("Why 16 A? No claim: the default maximum (wallbox.max_current). The charge mode holds none: "
                     + "mode solar needs the surplus signal 'surplus', which is not configured.", Find($"{Station} .why").Text);

        Find($"{Station} .pause").Click();

        await rig.Box.WaitForAppliedLimitAsync(0).WaitAsync(TestTimeouts.Slow);
        browser.WaitFor(_ => Find($"{Station} .result").Text.StartsWith("pause: Accepted", StringComparison.Ordinal), "the pause's result");
        browser.WaitFor(_ => Find($"{Station} .limit").Text == "0 A", "the limit at 0 A");
        Assert.True(Find($"{Station} .claims").Displayed);
        Assert.Contains("dashboard:pause", Find($"{Station} .claims").Text);
        Assert.StartsWith("Why 0 A? Set by dashboard:pause (a person; outranks the rules)", Find($"{Station} .why").Text);
        Assert.Equal(0, rig.Box.ReceivedCallCount("RequestStopTransaction"));
        await rig.SettledAsync();

        Find($"{Station} .resume").Click();
        await rig.Box.WaitForAppliedLimitAsync(16).WaitAsync(TestTimeouts.Slow);
        browser.WaitFor(_ => Find($"{Station} .limit").Text == "16 A", "the limit back at 16 A");
        browser.WaitFor(_ => !Find($"{Station} .claims").Displayed, "the claims table gone with the last claim");
        await rig.SettledAsync();
    }

    [BrowserFact]
    public async Task An_out_of_range_current_shows_the_error_and_the_box_keeps_its_limit()
    {
        await using var rig = await DashboardRig.StartAsync();
        await rig.ConnectBoxAsync();
        await rig.PlugInAndChargeAsync();
        browser.Page.Navigate().GoToUrl(rig.Url);
        browser.WaitFor(_ => Find($"{Station} .state").Text == "charging", "the station charging");

        Find($"{Station} .amps").SendKeys("40");
        Find($"{Station} .set-current").Click();

        browser.WaitFor(_ => Find($"{Station} .result").Text == "Current must be 0 (pause) or between 6 and 16 A, got 40", "the range error");
        Assert.Contains("bad", Find($"{Station} .result").GetAttribute("class"));
        Assert.Empty(rig.Controller.Control.Claims);
        Assert.Equal(16, rig.Box.AppliedLimitAmps);
    }

    /// <summary>certbot's renewal can stop working unnoticed (expired DNS credentials); the page says so before the box cannot connect.</summary>
    [BrowserFact]
    public async Task A_certificate_that_expires_within_two_weeks_is_announced_at_the_top_of_the_page()
    {
        var dir = Directory.CreateTempSubdirectory("dashboard-tls-").FullName;
        var now = DateTimeOffset.UtcNow;
        using (var leaf = TestCertificates.Leaf(null, now.AddDays(-85), now.AddDays(5), "localhost"))
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "fullchain.pem"), TestCertificates.Pem(leaf));
            await File.WriteAllTextAsync(Path.Combine(dir, "privkey.pem"), TestCertificates.KeyPem(leaf));
        }
        await using var rig = await DaemonHarness.StartAsync(
            tlsYaml: $"tls: {{ cert: {Path.Combine(dir, "fullchain.pem")}, key: {Path.Combine(dir, "privkey.pem")}, self_signed: false }}");

        browser.Page.Navigate().GoToUrl(rig.Url);

        browser.WaitFor(_ => Find("#certificate-notice").Displayed, "the notice");
        Assert.StartsWith($"The TLS certificate (CN=localhost) expires on {now.AddDays(5):yyyy-MM-dd}: renew it", Find("#certificate-notice").Text);
        Directory.Delete(dir, recursive: true);
    }

    [BrowserFact]
    public async Task With_a_password_the_login_form_refuses_a_wrong_one_and_opens_the_page_with_the_right_one()
    {
        await using var rig = await DashboardRig.StartAsync(password: "correct-horse-battery");
        browser.Page.Manage().Cookies.DeleteAllCookies();
        browser.Page.Navigate().GoToUrl(rig.Url);

        Find("#password").SendKeys("wrong-guess");
        Find("#login").Click();
        browser.WaitFor(_ => Find("#login-message").Text == "Wrong password.", "the wrong-password message");
        LogInAndSeeTheLivePage("correct-horse-battery");
    }

    /// <summary>http.tls: the login and the live page over https (a browser keeps the Secure session cookie for https only).</summary>
    [BrowserFact]
    public async Task Over_https_the_login_opens_the_live_page()
    {
        await using var rig = await DaemonHarness.StartAsync(httpYaml: "tls: true\n  password: \"correct-horse-battery\"");
        browser.Page.Manage().Cookies.DeleteAllCookies();
        browser.Page.Navigate().GoToUrl(rig.Url);

        LogInAndSeeTheLivePage("correct-horse-battery");

        Assert.StartsWith("https://", browser.Page.Url);
    }

    private void LogInAndSeeTheLivePage(string password)
    {
        Find("#password").SendKeys(password);
        Find("#login").Click();
        browser.WaitFor(_ => Find($"{Station} .name").Text == "garage", "the dashboard after the login");
        Assert.Equal("live", browser.WaitFor(_ => Find("#live").Text is "live" ? "live" : null, "the live stream"));
    }

    /// <summary>A realistic hour with the example rule acting, then the screenshots the README shows.</summary>
    [BrowserFact]
    public async Task The_history_page_lists_the_sessions_and_the_screenshots_are_taken()
    {
        var day = DateTimeOffset.UtcNow.Date;
        var history = new FakeHistory(
            FakeHistory.Session(1, new DateTimeOffset(day.AddDays(-40).AddHours(16)), 31.2, 0.42, 7.85),
            FakeHistory.Session(2, new DateTimeOffset(day.AddDays(-3).AddHours(9)), 18.4, 0.91, 1.12),
            FakeHistory.Session(3, new DateTimeOffset(day.AddDays(-1).AddHours(11)), 24.0, 0.77, 2.40));
        var example = await File.ReadAllTextAsync(RepoPaths.Of("examples/rules/solar-pause.yaml"));
        await using var rig = await DashboardRig.StartAsync(history: history, ruleFiles: new Dictionary<string, string> { ["solar-pause.yaml"] = example });
        await rig.ConnectBoxAsync();
        await rig.PlugInAndChargeAsync();
        await using var hub = await TestMqttClient.ConnectAsync(rig.MqttPort, "bmw-wallbox/#");
        browser.Resize(1280, 1300);
        browser.Page.Navigate().GoToUrl(rig.Url);
        browser.WaitFor(_ => Find($"{Station} .state").Text == "charging", "the station charging");

        // An hour of sunshine and a passing cloud: the rule pauses the car, then gives the current back.
        double[] solar = [5200, 5600, 6100, 1400, 1200, 1500, 4800, 5900, 6300, 6000, 6400, 6600];
        foreach (var watts in solar)
        {
            var seen = rig.WaitForSignalAsync("solar_power", watts);
            await hub.PublishAsync("home/house/power", "650");
            await hub.PublishAsync("home/solar/power", watts.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await seen;
            for (var i = 0; i < 5; i++)
            {
                rig.Time.Advance(TimeSpan.FromMinutes(1));
                await rig.Daemon.Rules.WhenIdleAsync(CancellationToken.None).WaitAsync(TestTimeouts.Slow);
                await rig.SettledAsync();
            }
        }
        await rig.SettledAsync();
        browser.Page.Navigate().Refresh();
        browser.WaitFor(_ => Find("#traces").Text.Contains("solar-pause"), "the rule's runs");
        browser.WaitFor(_ => Find("#marks").Text.Contains("solar-pause"), "the rule's marks on the chart");
        // No cursor over the chart (a phone has none): the legend shows the latest minute, not "--".
        var legend = browser.Page.FindElements(By.CssSelector("#chart .u-legend .u-value")).Select(v => v.Text).ToList();
        Assert.Equal(["6,600", "650", "16"], [legend[1], legend[2], legend[4]]); // solar, house, limit (the car's power is the box's)
        Assert.DoesNotContain("--", legend);
        Assert.Equal("Pause when solar is below 2 kW\nsolar-pause.yaml:8", Find("#rules td").Text); // the file under the name
        browser.WaitFor(_ => Find($"{Station} .power").Text.EndsWith(" kW", StringComparison.Ordinal), "the car's power");
        browser.Screenshot("examples/screenshots/dashboard.png");
        browser.Resize(412, 1700);
        browser.WaitFor(_ => Find($"{Station} .state").Displayed, "the narrow layout");
        Assert.Equal("16 / 16 / 16 A", Find($"{Station} .phases").Text); // whole amps without ".0": one line on a phone
        browser.Screenshot("examples/screenshots/dashboard-phone.png");

        browser.Resize(1280, 720);
        browser.Page.Navigate().GoToUrl(new Uri(rig.Url, "/history"));
        browser.WaitFor(_ => browser.Page.FindElements(By.CssSelector("#sessions tr[data-session]")).Count == 3, "the three sessions");

        var newest = Find("#sessions tr[data-session='3']").Text;
        Assert.Contains("24.00", newest);
        Assert.Contains("77 %", newest);
        Assert.Contains("2.40", newest);
        Assert.Contains("3 session(s)", Find("#history-message").Text);
        Assert.Contains(day.AddDays(-1).ToString("yyyy-MM"), Find("#months").Text);
        browser.Screenshot("examples/screenshots/history.png");
    }
}
