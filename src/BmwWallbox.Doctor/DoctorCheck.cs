namespace BmwWallbox.Doctor;

public enum CheckStatus { Ok, Warn, Fail, Info }

/// <summary>
/// One line of the doctor's report. <paramref name="Name"/> is a stable machine id (e.g. "tls.chain")
/// for scripts reading <c>--json</c>; <paramref name="Fix"/> is the one thing to do about it.
/// </summary>
public sealed record DoctorCheck(int Step, string Name, CheckStatus Status, string Message, string? Fix = null)
{
    internal static DoctorCheck Ok(int step, string name, string message) => new(step, name, CheckStatus.Ok, message);
    internal static DoctorCheck Info(int step, string name, string message, string? fix = null) => new(step, name, CheckStatus.Info, message, fix);
    internal static DoctorCheck Warn(int step, string name, string message, string? fix = null) => new(step, name, CheckStatus.Warn, message, fix);
    internal static DoctorCheck Fail(int step, string name, string message, string? fix) => new(step, name, CheckStatus.Fail, message, fix);
}
