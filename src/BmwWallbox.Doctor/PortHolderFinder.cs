using System.Globalization;

namespace BmwWallbox.Doctor;

/// <summary>The process listening on a TCP port.</summary>
internal sealed record PortHolder(int Pid, string CommandLine)
{
    /// <summary>The executable's assembly is named bmw-rules, so both `bmw-rules run` and `dotnet bmw-rules.dll` match.</summary>
    public bool IsBmwRules => CommandLine.Contains("bmw-rules", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Linux only: finds who listens on a port the way `ss -ltnp` does: the socket inode from
/// /proc/net/tcp{,6}, then the process whose /proc/&lt;pid&gt;/fd links to that socket.
/// </summary>
internal sealed class PortHolderFinder(string procRoot = "/proc")
{
    private const string Listen = "0A";

    /// <summary>Null when not on Linux or when the process is not visible (another user's, without root).</summary>
    public PortHolder? Find(int port)
    {
        var inodes = new HashSet<string>();
        foreach (var table in new[] { "net/tcp", "net/tcp6" })
        {
            var file = Path.Combine(procRoot, table);
            if (File.Exists(file)) inodes.UnionWith(ListeningInodes(File.ReadLines(file), port));
        }
        if (inodes.Count == 0) return null;
        var targets = inodes.Select(i => $"socket:[{i}]").ToHashSet();
        foreach (var dir in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (HoldsAny(Path.Combine(dir, "fd"), targets)) return new PortHolder(pid, CommandLine(dir));
        }
        return null;
    }

    /// <summary>Inodes of sockets in LISTEN state on <paramref name="port"/>, from the lines of /proc/net/tcp or tcp6.</summary>
    internal static IEnumerable<string> ListeningInodes(IEnumerable<string> lines, int port)
    {
        // "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10 || f[3] != Listen) continue;
            var local = f[1];
            var colon = local.LastIndexOf(':');
            if (colon > 0 && int.TryParse(local.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var p) && p == port && f[9] != "0")
                yield return f[9];
        }
    }

    private static bool HoldsAny(string fdDir, HashSet<string> targets)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries(fdDir))
            {
                if (new FileInfo(fd).LinkTarget is { } target && targets.Contains(target)) return true;
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Another user's process (without root) or one that just exited.
        }
        return false;
    }

    private static string CommandLine(string processDir)
    {
        try
        {
            var args = File.ReadAllText(Path.Combine(processDir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            if (args.Length == 0) return File.ReadAllText(Path.Combine(processDir, "comm")).Trim();
            args[0] = Path.GetFileName(args[0]); // "python3 -m http.server" reads better than "/usr/bin/python3 -m ..."
            return string.Join(' ', args);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return "an unknown process";
        }
    }
}
