using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Tether.Update;

/// <summary>A manifest that passed every check; the file itself is checked against it after the download.</summary>
internal sealed record VerifiedManifest(SemVersion Version, string Target, byte[] Sha256, long Size, int RolloutDelaySec);

/// <summary>
/// Checks a signed manifest (docs/protocol.md §10) in a fixed order, first failure wins: the
/// signature (ECDSA P-256 over SHA-256 of the manifest's exact bytes, DER as
/// <c>openssl dgst -sha256 -sign</c> writes it) by one of the configured keys, the fields, the
/// target, the not-after time, the version against the running one and the highest ever
/// installed, and versions that were rolled back. Pure: no I/O.
/// </summary>
internal static class ManifestVerifier
{
    /// <summary>Largest file an update may download.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    /// <summary>Largest manifest accepted.</summary>
    public const int MaxManifestBytes = 16 * 1024;

    /// <summary>Longest rollout delay a manifest may ask for: one week.</summary>
    public const int MaxRolloutDelaySec = 7 * 86400;

    public sealed record Context(
        IReadOnlyList<string> PublicKeys,
        bool AllowDowngrade,
        SemVersion Running,
        SemVersion? Highest,
        IReadOnlyCollection<string> RolledBack,
        string Target,
        DateTimeOffset Now,
        bool Automatic);

    public static (VerifiedManifest? Manifest, string? Error) Verify(ReadOnlySpan<byte> manifest, ReadOnlySpan<byte> signature, Context context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.PublicKeys.Count == 0)
        {
            return (null, "updates are disabled (update.publicKeys is empty)");
        }

        if (manifest.Length == 0 || manifest.Length > MaxManifestBytes)
        {
            return (null, $"manifest must be 1 to {MaxManifestBytes} bytes (got {manifest.Length})");
        }

        if (!SignedByAny(manifest, signature, context.PublicKeys))
        {
            return (null, "bad signature: the manifest is not signed by any key in update.publicKeys");
        }

        UpdateManifest? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(manifest, UpdateJsonContext.Default.UpdateManifest);
        }
        catch (JsonException e)
        {
            return (null, "manifest is not valid JSON: " + e.Message);
        }

        if (parsed is null)
        {
            return (null, "manifest is not a JSON object");
        }

        if (!SemVersion.TryParse(parsed.Version, out var version))
        {
            return (null, "manifest version is missing or not a semantic version (MAJOR.MINOR.PATCH)");
        }

        if (string.IsNullOrEmpty(parsed.Target))
        {
            return (null, "manifest target is missing");
        }

        if (parsed.Sha256 is not { Length: 64 } shaText || !shaText.All(char.IsAsciiHexDigit))
        {
            return (null, "manifest sha256 is missing or not 64 hex digits");
        }

        if (parsed.Size is not { } size || size <= 0 || size > MaxFileBytes)
        {
            return (null, $"manifest size is missing or not between 1 and {MaxFileBytes} bytes");
        }

        if (parsed.NotAfter is not { } notAfter)
        {
            return (null, "manifest notAfter is missing");
        }

        int delay = parsed.RolloutDelaySec ?? 0;
        if (delay < 0 || delay > MaxRolloutDelaySec)
        {
            return (null, $"manifest rolloutDelaySec must be between 0 and {MaxRolloutDelaySec}");
        }

        if (!string.Equals(parsed.Target, context.Target, StringComparison.Ordinal))
        {
            return (null, $"foreign target: the manifest is for {parsed.Target}, this agent is {context.Target}");
        }

        if (context.Now > notAfter)
        {
            return (null, $"expired manifest: notAfter {notAfter.ToString("o", CultureInfo.InvariantCulture)} has passed");
        }

        if (!context.AllowDowngrade)
        {
            if (version.CompareTo(context.Running) <= 0)
            {
                return (null, $"version {version} is not newer than the running {context.Running} (update.allowDowngrade is off)");
            }

            if (context.Highest is { } highest && version.CompareTo(highest) < 0)
            {
                return (null, $"version {version} is older than {highest}, the highest ever installed here (anti-rollback)");
            }
        }

        if (context.Automatic && context.RolledBack.Contains(version.Text))
        {
            return (null, $"version {version} was rolled back on this host and is not installed again automatically");
        }

        return (new VerifiedManifest(version, parsed.Target, Convert.FromHexString(shaText), size, delay), null);
    }

    private static bool SignedByAny(ReadOnlySpan<byte> manifest, ReadOnlySpan<byte> signature, IReadOnlyList<string> keys)
    {
        if (signature.IsEmpty)
        {
            return false;
        }

        foreach (string pem in keys)
        {
            using var ecdsa = ECDsa.Create();
            try
            {
                ecdsa.ImportFromPem(pem);
                if (ecdsa.VerifyData(manifest, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                // The loader checked every key; a malformed signature is simply not a match.
            }
        }

        return false;
    }
}
