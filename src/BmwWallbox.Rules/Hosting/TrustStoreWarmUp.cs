using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// Reads the machine's trusted root certificates on a pool thread while the rest of the daemon is built.
/// Before the OCPP port listens, Kestrel builds the served certificate's chain against them, and reading
/// the system store (/etc/ssl/certs) was the largest single cost of that step (README, "Start-up and idle
/// memory"). .NET keeps the store it read, so the chain build then finds it ready.
/// </summary>
internal static class TrustStoreWarmUp
{
    public static void Start() => _ = Task.Run(() =>
    {
        try
        {
            using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly);
            foreach (var certificate in store.Certificates) certificate.Dispose();
        }
        catch (CryptographicException)
        {
            // Only a head start: the chain build reads the store again and reports a real problem itself.
        }
    });
}
