using System.Diagnostics;

namespace Tether.Tests.Update;

/// <summary>
/// An operator's signing key made and used with the real <c>openssl</c> command, exactly as the
/// README tells an operator (docs/protocol.md §10): <c>openssl ecparam -name prime256v1 -genkey</c>,
/// <c>openssl ec -pubout</c>, <c>openssl dgst -sha256 -sign</c>.
/// </summary>
internal sealed class OpensslSigner
{
    private readonly string _directory;

    public OpensslSigner(string directory)
    {
        _directory = directory;
        KeyPath = Path.Join(directory, "update-key.pem");
        Run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", KeyPath);
        string publicPath = Path.Join(directory, "update-key.pub.pem");
        Run("ec", "-in", KeyPath, "-pubout", "-out", publicPath);
        PublicKeyPem = File.ReadAllText(publicPath);
    }

    public string KeyPath { get; }

    public string PublicKeyPem { get; }

    /// <summary>Signs the exact bytes of <paramref name="manifest"/>; returns the DER signature openssl wrote.</summary>
    public byte[] Sign(byte[] manifest)
    {
        string name = Guid.NewGuid().ToString("N");
        string manifestPath = Path.Join(_directory, name + ".json");
        string signaturePath = Path.Join(_directory, name + ".sig");
        File.WriteAllBytes(manifestPath, manifest);
        Run("dgst", "-sha256", "-sign", KeyPath, "-out", signaturePath, manifestPath);
        return File.ReadAllBytes(signaturePath);
    }

    private static void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new InvalidOperationException("openssl did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {error}");
        }
    }
}
