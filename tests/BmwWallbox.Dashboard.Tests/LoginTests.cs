using System.Net;
using System.Text;

namespace BmwWallbox.Dashboard.Tests;

/// <summary>With http.password: a login form, a session cookie, and a lock-out after repeated wrong passwords.</summary>
public class LoginTests
{
    private const string Password = "correct-horse-battery";

    private static FormUrlEncodedContent Login(string password, string next = "/") => new([new("password", password), new("next", next)]);

    [Fact]
    public async Task Without_a_login_the_page_is_a_login_form_and_the_api_says_log_in_first()
    {
        await using var rig = await DashboardRig.StartAsync(password: Password);
        using var http = rig.Http();

        var page = await http.GetAsync("/");
        var api = await http.GetAsync("/api/state");
        var action = await http.PostAsync("/api/stations/garage/pause", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Contains("name=\"password\"", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Contains("Log in first", await api.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, action.StatusCode);
        Assert.Empty(rig.Controller.Control.Claims);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/assets/style.css")).StatusCode); // the login form's own style
    }

    [Fact]
    public async Task The_right_password_sets_a_session_cookie_that_opens_the_api_and_logout_ends_it()
    {
        await using var rig = await DashboardRig.StartAsync(password: Password);
        using var http = rig.Http();

        var login = await http.PostAsync("/login", Login(Password, "/history"));

        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/history", login.Headers.Location?.ToString());
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/state")).StatusCode);

        await http.PostAsync("/logout", null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/state")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_gets_401_and_the_form_again_and_an_offsite_next_is_ignored()
    {
        await using var rig = await DashboardRig.StartAsync(password: Password);
        using var http = rig.Http();

        var wrong = await http.PostAsync("/login", Login("guess"));
        var offsite = await http.PostAsync("/login", Login(Password, "//evil.example/"));
        var notAForm = await http.PostAsync("/login", new StringContent("password=x", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Wrong password.", await wrong.Content.ReadAsStringAsync());
        Assert.Equal("/", offsite.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, notAForm.StatusCode);
        rig.Logs.AllowErrors(); // nothing expected; wrong passwords are warnings
    }

    [Fact]
    public async Task After_five_wrong_passwords_even_the_right_one_is_refused_for_a_while()
    {
        await using var rig = await DashboardRig.StartAsync(password: Password);
        using var http = rig.Http();
        for (var i = 0; i < LoginGate.MaxFailures; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/login", Login("guess" + i))).StatusCode);

        var locked = await http.PostAsync("/login", Login(Password));

        Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        Assert.NotNull(locked.Headers.RetryAfter);
        Assert.Contains("Too many wrong passwords", await locked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/state")).StatusCode);
    }
}
