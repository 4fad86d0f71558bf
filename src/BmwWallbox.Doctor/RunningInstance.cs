using System.Diagnostics;

namespace BmwWallbox.Doctor;

/// <summary>The daemon's status file, if a live daemon wrote it recently; otherwise why not.</summary>
internal sealed record RunningInstance(DaemonStatus? Status, string? Absent)
{
    public static RunningInstance Locate(DoctorInput input, TimeProvider time)
    {
        var path = DaemonStatus.PathIn(input.DataDir);
        if (!File.Exists(path)) return new(null, $"no status file {path}");
        DaemonStatus status;
        try
        {
            status = DaemonStatus.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new(null, e.Message);
        }
        var age = time.GetUtcNow() - status.UpdatedAt;
        if (age > input.StatusMaxAge)
            return new(null, $"{path} was last updated {Ago(age)} ago (the instance stopped or hangs)");
        if (!IsAlive(status.Pid))
            return new(null, $"process {status.Pid} that wrote {path} is not running");
        return new(status, null);
    }

    private static bool IsAlive(int pid)
    {
        if (pid <= 0) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    internal static string Ago(TimeSpan age) =>
        age.TotalSeconds < 120 ? $"{Math.Max(0, age.TotalSeconds):0} s"
        : age.TotalMinutes < 120 ? $"{age.TotalMinutes:0} min"
        : age.TotalHours < 48 ? $"{age.TotalHours:0} h"
        : $"{age.TotalDays:0} days";
}
