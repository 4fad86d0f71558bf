using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace BmwWallbox.Dashboard.Tests.Browser;

/// <summary>
/// Debian's headless Chromium driven through its chromedriver (packages <c>chromium</c>, <c>chromium-driver</c>,
/// installed by the README's test command). One browser per test class; each test opens its own daemon.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    /// <summary>Null when both are installed; otherwise why the browser tests are skipped.</summary>
    public static string? Missing =>
        File.Exists(Browser) && File.Exists(Driver) ? null : $"Chromium is not installed ({Browser}, {Driver}): apt-get install chromium chromium-driver, as .ci/test does";

    private readonly Lazy<ChromeDriver> _driver = new(Start);

    public ChromeDriver Page => _driver.Value;

    /// <summary>Waits (polling the page) until <paramref name="condition"/> holds; fails with what the page shows.</summary>
    public T WaitFor<T>(Func<IWebDriver, T> condition, string what)
    {
        var wait = new WebDriverWait(Page, TestTimeouts.Slow);
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition);
        }
        catch (WebDriverTimeoutException)
        {
            Assert.Fail($"Timed out waiting for {what}. The page shows:\n{Page.FindElement(By.TagName("body")).Text}");
            throw;
        }
    }

    /// <summary>Sets the viewport size (the screenshot size), as a desktop window or a phone.</summary>
    public void Resize(int width, int height) => Page.Manage().Window.Size = new System.Drawing.Size(width, height);

    public void Screenshot(string repoRelativePath)
    {
        var path = RepoPaths.Of(repoRelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ((ITakesScreenshot)Page).GetScreenshot().SaveAsFile(path);
    }

    private static ChromeDriver Start()
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        // Insecure certificates: the daemon's test certificates (http.tls) come from no CA the browser knows.
        var options = new ChromeOptions { BinaryLocation = Browser, AcceptInsecureCertificates = true };
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1800",
            "--lang=en-GB", "--hide-scrollbars", "--force-device-scale-factor=1");
        return new ChromeDriver(service, options, TestTimeouts.Long);
    }

    public void Dispose()
    {
        if (_driver.IsValueCreated) _driver.Value.Quit();
    }
}

/// <summary>A browser test: skipped, with the reason, only when Chromium or chromedriver is not installed.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (HeadlessChromium.Missing is { } reason) Skip = reason;
    }
}
