using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Platform.Pty;
using Tether.Protocol;
using Tether.Shell;
using Tether.Transport;

namespace Tether.Tests.Shell;

/// <summary><see cref="ShellSession"/>'s close sequence against a real PTY and real signals.</summary>
[Collection(nameof(ProcessWideCollection))]
[SupportedOSPlatform("linux")]
public sealed class ShellSessionRealPtyTests
{
    [Fact]
    public async Task Close_OfAShellThatMissedTheFirstHangup_EndsByTheSecond_NotByKill()
    {
        // A shell that survives one SIGHUP, as bash does when the signal lands just after a
        // command line (it notes the signal and waits for the next key). No session sweep, as
        // on macOS: only the second SIGHUP can end it before the SIGKILL.
        const string Script = "trap 'trap - HUP; echo FIRST' HUP; echo READY; while :; do sleep 0.05; done";
        var outbox = new Outbox(NullLogger<Outbox>.Instance);
        outbox.OnConnected();
        outbox.OnReady();
        var pty = PtyShell.Pty.Start(new PtyStartOptions("/bin/sh", ["-c", Script], PtyShell.DefaultEnvironment, "/", 80, 24));
        var options = new ShellSessionOptions { HangupRepeat = TimeSpan.FromSeconds(1.5), CloseGrace = TimeSpan.FromSeconds(15) };
        var session = new ShellSession(
            "s1",
            pty,
            processes: null,
            new ShellSessionTests.CountingSlot(),
            outbox,
            new EventFrameEncoder("/agents"),
            new ShellSessionTests.RecordingAudit(),
            TimeProvider.System,
            NullLogger.Instance,
            options,
            new ShellOutputEncoder(new EventFrameEncoder("/agents"), "s1", Tether.Config.ShellOutputEncoding.Utf8, 1_000_000));
        try
        {
            session.Start();
            Assert.Null((await ReadAsync(outbox, "READY")).Closed);

            session.RequestClose(ShellClosedEvent.Closed, urgent: false);
            await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));

            var (output, closed) = await ReadAsync(outbox, marker: null);
            Assert.Contains("FIRST", output, StringComparison.Ordinal);
            Assert.Equal("SIGHUP", closed?.GetProperty("signal").GetString());
        }
        finally
        {
            pty.SignalGroup(PtySignal.Kill);
            pty.Dispose();
        }
    }

    /// <summary>Takes events, gathering <c>shell_output</c> text, until the text holds <paramref name="marker"/> or <c>shell_closed</c> comes.</summary>
    private static async Task<(string Output, JsonElement? Closed)> ReadAsync(Outbox outbox, string? marker)
    {
        var text = "";
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (marker is null || !text.Contains(marker, StringComparison.Ordinal))
        {
            var e = await outbox.TakeAsync(deadline.Token);
            outbox.Complete(e);
            var payload = ShellSessionTests.Payload(e);
            if (e.Name == "shell_closed")
            {
                return (text, payload);
            }

            text += payload.GetProperty("data").GetString();
        }

        return (text, null);
    }
}
