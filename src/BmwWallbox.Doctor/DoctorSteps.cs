namespace BmwWallbox.Doctor;

/// <summary>The flowchart the doctor walks, in order: first make the box connect, then update, then obey.</summary>
internal static class DoctorSteps
{
    public const int Config = 1;
    public const int Tls = 2;
    public const int Port = 3;
    public const int Urls = 4;
    public const int Handshake = 5;
    public const int LiveState = 6;
    public const int Rules = 7;

    public static string Title(int step) => step switch
    {
        Config => "Config",
        Tls => "TLS certificate",
        Port => "OCPP port",
        Urls => "Wallbox URL (installer app)",
        Handshake => "Loopback probe (TLS, no credentials)",
        LiveState => "Live state",
        Rules => "Rules and signals",
        _ => $"Step {step}",
    };
}
