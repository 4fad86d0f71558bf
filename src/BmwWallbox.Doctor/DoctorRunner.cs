namespace BmwWallbox.Doctor;

/// <summary>
/// Runs every check in flowchart order: config → certificate → port → URL → handshake → live state → rules.
/// Works without a running instance (steps 5–7 then say how to start one).
/// </summary>
/// <param name="lookup">DNS and this machine's addresses, for the host name of <c>--host</c>; null = the system's.</param>
public sealed class DoctorRunner(TimeProvider time, HostLookup? lookup = null)
{
    public async Task<DoctorReport> RunAsync(DoctorInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var checks = new List<DoctorCheck>();
        checks.AddRange(ConfigCheck.Run(input));
        checks.AddRange(MqttAccessCheck.Run(input));
        checks.AddRange(await new TlsCheck(time).RunAsync(input, ct));
        var instance = RunningInstance.Locate(input, time);
        var port = new PortCheck(new PortHolderFinder()).Run(input, instance.Status?.Pid);
        checks.Add(port);
        checks.AddRange(StationUrls.Run(input));
        if (await new HostNameCheck(lookup ?? HostLookup.System, time).RunAsync(input, ct) is { } dns) checks.Add(dns);
        checks.AddRange(await new HandshakeCheck(time).RunAsync(input, port, ct));
        checks.AddRange(new LiveStateCheck(time).Run(input, instance));
        checks.AddRange(RulesCheck.Run(input, instance));
        return new DoctorReport(checks);
    }
}
