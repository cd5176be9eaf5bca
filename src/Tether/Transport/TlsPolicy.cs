using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Tether.Transport;

/// <summary>
/// Server certificate rules of docs/protocol.md §2: the system trust store decides; <c>caFile</c> adds
/// trusted CAs (the host name must still match); the insecure opt-in accepts anything.
/// </summary>
internal static class TlsPolicy
{
    public static RemoteCertificateValidationCallback Create(X509Certificate2Collection? extraRoots, bool skipVerify)
    {
        if (skipVerify)
        {
            return static (_, _, _, _) => true;
        }

        return (_, certificate, chain, errors) =>
        {
            errors |= ChainErrors(chain);
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (extraRoots is null || extraRoots.Count == 0 || certificate is null
                || errors != SslPolicyErrors.RemoteCertificateChainErrors)
            {
                return false;
            }

            using var custom = new X509Chain { ChainPolicy = NewChainPolicy() };
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            using var leaf = new X509Certificate2(certificate);
            return custom.Build(leaf);
        };
    }

    /// <summary>
    /// <see cref="SslPolicyErrors.RemoteCertificateChainErrors"/> when an element of the chain the
    /// platform built has a status other than NoError. Linux and Windows already report those
    /// chains as errors; Wine's crypt32 passes a partial chain (a server certificate whose issuer
    /// is in no store) as trusted, so the agent reads the statuses itself.
    /// </summary>
    internal static SslPolicyErrors ChainErrors(X509Chain? chain) =>
        chain is not null && chain.ChainStatus.Any(static s => s.Status != X509ChainStatusFlags.NoError)
            ? SslPolicyErrors.RemoteCertificateChainErrors
            : SslPolicyErrors.None;

    /// <summary>
    /// The chain rules for every chain the agent builds: no revocation fetch and no AIA download
    /// (docs/protocol.md §2 "TLS"). The release binary has the runtime's download code removed
    /// (src/Tether/Trimming/NoCertificateDownloads.xml), so a chain built without this policy
    /// would fail there instead of downloading.
    /// </summary>
    public static X509ChainPolicy NewChainPolicy() => new()
    {
        DisableCertificateDownloads = true,
        RevocationMode = X509RevocationMode.NoCheck,
    };

    /// <summary>Loads every certificate of a PEM file; throws a clear <see cref="InvalidOperationException"/> when none.</summary>
    public static X509Certificate2Collection LoadCaFile(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        if (collection.Count == 0)
        {
            throw new InvalidOperationException($"caFile {path} holds no PEM certificate");
        }

        return collection;
    }
}
