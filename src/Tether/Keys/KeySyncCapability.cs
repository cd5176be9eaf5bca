using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tether.Kernel;
using Tether.Logging;
using Tether.Platform.FileSystem;
using Tether.Policy;
using Tether.Protocol;

namespace Tether.Keys;

/// <summary>
/// <c>sync_keys {user}</c> → <c>keys_sync_result {ok, user, added, ms, error?}</c> (docs/protocol.md §6):
/// the user is validated before any request, the keys fetched, checked, deduplicated and
/// appended atomically; one sync at a time for the file; one audit line each.
/// </summary>
/// <remarks>
/// The handler only parses on the receive loop; the sync runs on a task this capability owns.
/// Thread-safety: <see cref="_fileLock"/> serializes writers of the one authorized_keys file.
/// </remarks>
internal sealed partial class KeySyncCapability : IAgentCapability, IDisposable
{
    public const string EventName = "sync_keys";
    public const string ResultName = "keys_sync_result";

    private readonly AgentContext _context;
    private readonly KeysFetcher? _fetcher;
    private readonly string? _fetcherError;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _fileLock = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly OwnedTasks _running;

    public KeySyncCapability(AgentContext context, KeysFetcher? fetcher, string? fetcherError)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _fetcher = fetcher;
        _fetcherError = fetcherError;
        _log = context.Loggers.CreateLogger<KeySyncCapability>();
        _running = new OwnedTasks(LogHandlerFailed);
        context.Dispatcher.On(EventName, OnSyncKeysAsync);
    }

    /// <summary>The capability as <c>tether run</c> wires it (timeout 15 s, body cap 1 MiB).</summary>
    public static KeySyncCapability Create(AgentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return new KeySyncCapability(context, new KeysFetcher(context.Config, KeysFetcher.DefaultTimeout, KeysFetcher.DefaultMaxBodyBytes), null);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Security.Cryptography.CryptographicException)
        {
            return new KeySyncCapability(context, null, "key sync unavailable: " + e.Message);
        }
    }

    public async Task ShutdownAsync(CancellationToken ct)
    {
        await _shutdown.CancelAsync();
        await _running.WhenAllAsync(ct);
    }

    public void Dispose()
    {
        _fileLock.Dispose();
        _shutdown.Dispose();
    }

    private ValueTask OnSyncKeysAsync(InboundEvent inbound, CancellationToken ct)
    {
        var payload = inbound.Payload;
        string? user = null;
        string? error = null;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            error = "sync_keys payload must be an object";
        }
        else if (!payload.TryGetProperty("user", out var u) || u.ValueKind != JsonValueKind.String)
        {
            error = "user must be a string";
        }
        else
        {
            user = u.GetString()!;
            if (!KeySyncUser.IsValid(user))
            {
                error = $"invalid GitHub user name '{TextChecks.ForDisplay(user, 64)}' (letters, digits and '-', 1–39 characters, not starting with '-')";
            }
        }

        if (error is null && !_context.Config.Keys.Enabled)
        {
            error = "key sync is disabled on this host (keys.enabled is false in its config)";
        }

        if (error is not null)
        {
            LogRefused(error);
            _context.Audit.Write(new AuditEntry(AuditAction.SyncKeys, AuditOutcome.Refused) { Reason = error, User = user is null ? null : TextChecks.ForDisplay(user, 64) });
            Post(false, user ?? string.Empty, 0, 0, error);
            return ValueTask.CompletedTask;
        }

        _running.Run(() => SyncAsync(user!));
        return ValueTask.CompletedTask;
    }


    private async Task SyncAsync(string user)
    {
        var started = Stopwatch.GetTimestamp();
        var (added, error) = await SyncCoreAsync(user);
        var ms = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (error is null)
        {
            LogSynced(user, added, ms);
            _context.Audit.Write(new AuditEntry(AuditAction.SyncKeys, AuditOutcome.Ok) { User = user, Added = added });
        }
        else
        {
            LogFailed(user, error);
            _context.Audit.Write(new AuditEntry(AuditAction.SyncKeys, AuditOutcome.Failed) { User = user, Added = 0, Reason = error });
        }

        Post(error is null, user, added, ms, error);
    }

    private async Task<(int Added, string? Error)> SyncCoreAsync(string user)
    {
        if (_fetcher is null)
        {
            return (0, _fetcherError);
        }

        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return (0, "key sync is not supported on this operating system");
        }

        var (body, fetchError) = await _fetcher.FetchAsync(user, _shutdown.Token);
        if (body is null)
        {
            return (0, fetchError);
        }

        var path = _context.Config.Keys.AuthorizedKeysFile;
        try
        {
            await _fileLock.WaitAsync(_shutdown.Token);
        }
        catch (OperationCanceledException)
        {
            return (0, "agent shutting down");
        }

        try
        {
            if (OwnedTrees.Current is { } tree)
            {
                // No symlink is followed under the home, owners are checked (docs/protocol.md §6).
                using var target = AuthorizedKeysTarget.Open(tree, path);
                var current = target.ReadExisting();
                var merge = AuthorizedKeysMerge.Plan(current, body);
                if (merge.Invalid > 0)
                {
                    LogDropped(user, merge.Invalid);
                }

                if (merge.Added == 0)
                {
                    target.FixMode();
                    return (0, null);
                }

                target.WriteAtomically(current, merge.Appendix);
                return (merge.Added, null);
            }

            var existing = AuthorizedKeysFile.ReadExisting(path);
            var plan = AuthorizedKeysMerge.Plan(existing, body);
            if (plan.Invalid > 0)
            {
                LogDropped(user, plan.Invalid);
            }

            AuthorizedKeysFile.PrepareDirectory(path);
            if (plan.Added == 0)
            {
                AuthorizedKeysFile.FixMode(path);
                return (0, null);
            }

            AuthorizedKeysFile.WriteAtomically(path, existing, plan.Appendix);
            return (plan.Added, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (0, $"cannot update {path}: {e.Message}");
        }
        finally
        {
            _fileLock.Release();
        }
    }

    private void Post(bool ok, string user, int added, long ms, string? error)
    {
        var frame = _context.Encoder.Encode(ResultName, writer =>
        {
            writer.WriteBoolean("ok", ok);
            writer.WriteString("user", user.Length > 64 ? user[..64] : user);
            writer.WriteNumber("added", added);
            writer.WriteNumber("ms", ms);
            if (error is not null)
            {
                writer.WriteString("error", error);
            }
        });
        _context.Outbox.PostDurable(new OutboundEvent(ResultName, frame, Durable: true));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "sync_keys refused: {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "sync_keys for {GitHubUser}: {Added} key(s) added in {Ms} ms")]
    private partial void LogSynced(string gitHubUser, int added, long ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sync_keys for {GitHubUser} failed: {Reason}")]
    private partial void LogFailed(string gitHubUser, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "sync_keys for {GitHubUser}: dropped {Count} line(s) that are not well-formed OpenSSH public keys")]
    private partial void LogDropped(string gitHubUser, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "sync_keys handler failed")]
    private partial void LogHandlerFailed(Exception exception);
}
