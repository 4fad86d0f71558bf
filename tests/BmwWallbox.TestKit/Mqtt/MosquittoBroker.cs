using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BmwWallbox.TestKit.Mqtt;

/// <summary>
/// A real Mosquitto on an ephemeral loopback port, without persistence (so a restart loses all
/// retained messages, like a broker that was reinstalled). Killed on dispose.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/bin/mosquitto"];
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("mosquitto-test-").FullName;
    private Process? _process;

    private readonly string _listenerOptions;
    // Holds the port of a broker that is not started yet: bound but not listening, so connects are
    // refused and no other test can be handed the same port meanwhile.
    private Socket? _reservation;

    private MosquittoBroker(int port, string listenerOptions = "", Socket? reservation = null)
    {
        Port = port;
        _listenerOptions = listenerOptions;
        _reservation = reservation;
    }

    public int Port { get; }

    /// <summary>Where the broker's config (and any certificate files a test writes) live.</summary>
    public string Directory => _directory;

    /// <summary>Starts on a fresh loopback port and waits until it listens.</summary>
    public static async Task<MosquittoBroker> StartAsync(string listenerOptions = "")
    {
        var broker = NotStarted(listenerOptions);
        await broker.StartAsync();
        return broker;
    }

    /// <summary>A broker for a port nothing listens on yet (broker down at start).</summary>
    public static MosquittoBroker NotStarted(string listenerOptions = "")
    {
        var reservation = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reservation.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return new MosquittoBroker(((IPEndPoint)reservation.LocalEndPoint!).Port, listenerOptions, reservation);
    }

    public async Task StartAsync()
    {
        if (_process is not null) throw new InvalidOperationException("mosquitto already runs");
        var executable = Candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            "mosquitto is not installed. These tests need a real broker: run `apt-get update && apt-get install -y mosquitto`.");
        _reservation?.Dispose();
        _reservation = null;
        var config = Path.Combine(_directory, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {Port} 127.0.0.1
            {_listenerOptions}
            allow_anonymous true
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            """);

        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(executable, ["-c", config])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        void OnLine(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            // Printed after the listener sockets are open (stderr: unbuffered, unlike a piped stdout).
            if (e.Data.Contains(" running")) running.TrySetResult();
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Exited += (_, _) => running.TrySetException(new InvalidOperationException($"mosquitto exited at start:\n{output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            await running.Task.WaitAsync(TestTimeouts.Guard);
        }
        catch
        {
            await KillAsync(); // a failed start must not leave a broker behind
            throw;
        }
    }

    /// <summary>Kills the broker without warning (clients see a dropped connection).</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        process.Kill();
        await process.WaitForExitAsync().WaitAsync(TestTimeouts.Guard);
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _reservation?.Dispose();
        await KillAsync();
        try { System.IO.Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
