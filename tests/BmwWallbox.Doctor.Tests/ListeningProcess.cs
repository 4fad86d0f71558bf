using System.Diagnostics;

namespace BmwWallbox.Doctor.Tests;

/// <summary>A child process (python3) that listens on a free loopback port and names itself by an argument.</summary>
internal sealed class ListeningProcess : IAsyncDisposable
{
    private const string Script =
        "import socket,sys\n" +
        "s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen()\n" +
        "print(s.getsockname()[1], flush=True)\n" +
        "sys.stdin.read()\n";

    private readonly Process _process;

    private ListeningProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public int Pid => _process.Id;

    public static async Task<ListeningProcess> StartAsync(string name)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var arg in new[] { "-c", Script, name }) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        // The port is printed only after listen(): no polling needed.
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TestTimeouts.Guard);
        return new ListeningProcess(process, int.Parse(line!));
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TestTimeouts.Guard);
        _process.Dispose();
    }
}
