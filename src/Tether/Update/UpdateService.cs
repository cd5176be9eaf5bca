using Tether.Config;
using Tether.Logging;

namespace Tether.Update;

/// <summary>The outcome of one update request: <c>agent_update_result</c>'s fields (docs/protocol.md §10).</summary>
internal sealed record UpdateOutcome(bool Ok, string From, string To, string? Error, bool Refused);

/// <summary>
/// One update request from either way in (the dashboard's <c>agent_update</c>, <c>tether update</c>):
/// verify the signed manifest, wait the rollout delay (dashboard only), install. Every refusal
/// and failure is audited with its reason.
/// </summary>
internal sealed class UpdateService(AgentConfig config, UpdateStore store, string? binaryPath, IAuditLog audit, TimeProvider time)
{
    public static string Running => AgentInfo.Version;

    public async Task<UpdateOutcome> ApplyAsync(byte[] manifest, byte[] signature, UpdateSource source, bool automatic, CancellationToken ct)
    {
        var (verified, refusal) = Verify(manifest, signature, source, automatic);
        return verified is null ? refusal! : await InstallAsync(verified, source, automatic, ct);
    }

    /// <summary>The checks that need no download, in the order of <see cref="ManifestVerifier"/>; a refusal is audited.</summary>
    public (VerifiedManifest? Manifest, UpdateOutcome? Refusal) Verify(byte[] manifest, byte[] signature, UpdateSource source, bool automatic)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!SemVersion.TryParse(Running, out var running))
        {
            return (null, Audited(new UpdateOutcome(false, Running, string.Empty, $"the running version {Running} is not a semantic version", Refused: true), source));
        }

        if (binaryPath is null)
        {
            return (null, Audited(new UpdateOutcome(false, Running, string.Empty, "self-update needs the published tether binary (this process runs under another host)", Refused: true), source));
        }

        UpdateStateRecord state;
        try
        {
            state = store.ReadState();
            if (store.ReadProbation() is { } probation)
            {
                return (null, Audited(new UpdateOutcome(false, Running, string.Empty, $"busy: version {probation.To} is on probation", Refused: true), source));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, Audited(new UpdateOutcome(false, Running, string.Empty, "cannot read the update state: " + e.Message, Refused: true), source));
        }

        SemVersion? highest = state.HighestVersion is { } h && SemVersion.TryParse(h, out var parsed) ? parsed : null;
        var context = new ManifestVerifier.Context(config.Update.PublicKeys, config.Update.AllowDowngrade, running, highest, state.RolledBack, UpdateTarget.Current, time.GetUtcNow(), automatic);
        var (verified, error) = ManifestVerifier.Verify(manifest, signature, context);
        return verified is null
            ? (null, Audited(new UpdateOutcome(false, Running, string.Empty, error, Refused: true), source))
            : (verified, null);
    }

    /// <summary>Waits the rollout delay (dashboard only), then downloads, checks and installs; audited either way.</summary>
    public async Task<UpdateOutcome> InstallAsync(VerifiedManifest verified, UpdateSource source, bool automatic, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(verified);
        ArgumentNullException.ThrowIfNull(source);
        SemVersion.TryParse(Running, out var running);
        if (automatic && verified.RolloutDelaySec > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Random.Shared.Next(0, verified.RolloutDelaySec + 1)), time, ct);
            }
            catch (OperationCanceledException)
            {
                return Audited(new UpdateOutcome(false, Running, verified.Version.Text, "agent shutting down", Refused: false), source);
            }
        }

        string? error = await new UpdateInstaller(config, store, binaryPath!).InstallAsync(verified, running, source, ct);
        bool refused = error is not null && (error.StartsWith("size mismatch", StringComparison.Ordinal) || error.StartsWith("sha256 mismatch", StringComparison.Ordinal));
        return Audited(new UpdateOutcome(error is null, Running, verified.Version.Text, error, refused), source);
    }

    private UpdateOutcome Audited(UpdateOutcome outcome, UpdateSource source)
    {
        var result = outcome.Ok ? AuditOutcome.Ok : outcome.Refused ? AuditOutcome.Refused : AuditOutcome.Failed;
        string to = outcome.To.Length > 0 ? outcome.To : "?";
        audit.Write(new AuditEntry(AuditAction.AgentUpdate, result)
        {
            Command = $"update {outcome.From} -> {to} from {source}",
            Reason = outcome.Error,
        });
        return outcome;
    }
}
