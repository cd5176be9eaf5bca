using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Commands;
using Tether.Platform.Processes;

namespace Tether.Tests.Commands;

/// <summary>The runner against real processes (sh, sleep, head): pipes, caps, timeout, stdin, exit status.</summary>
public sealed class CommandRunnerTests
{
    private static readonly Dictionary<string, string> Env = new() { ["PATH"] = EnvironmentPolicy.DefaultPath };

    private static CommandRunner Runner() =>
        new(ChildProcessLauncherFactory.Create()!, TimeProvider.System, NullLogger<CommandRunner>.Instance);

    private static Task<CommandRun> Run(string script, TimeSpan? timeout = null, int cap = 1024 * 1024, byte[]? stdin = null, string? cwd = null) =>
        Runner().RunAsync(
            new ChildProcessStartOptions("sh", ["-c", script], Env, cwd, stdin is not null),
            stdin,
            timeout ?? TimeSpan.FromSeconds(20),
            cap,
            CancellationToken.None);

    [Fact]
    public async Task Run_CapturesStdoutStderrAndExitCode()
    {
        var run = await Run("printf 'out'; printf 'err' >&2; exit 3");
        Assert.Equal("out", run.Stdout.Decode());
        Assert.Equal("err", run.Stderr.Decode());
        Assert.Equal(3, run.Exit.ExitCode);
        Assert.False(run.TimedOut);
    }

    [Fact]
    public async Task Run_OutputPastTheCap_IsDroppedAndTheProcessRunsToItsEnd()
    {
        var run = await Run("head -c 3000000 /dev/zero; echo done >&2", cap: 1024);
        Assert.Equal(1024, run.Stdout.Decode().Length);
        Assert.True(run.Stdout.Truncated);
        Assert.Equal(3_000_000, run.Stdout.TotalBytes);
        Assert.Equal("done\n", run.Stderr.Decode());
        Assert.Equal(0, run.Exit.ExitCode);
    }

    [Fact]
    public async Task Run_Timeout_KillsTheWholeGroupIncludingABackgroundGrandchild()
    {
        using var dir = new TempDirectory("tether-runner-");
        var pidFile = dir.Join("pid");
        var run = await Run($"sleep 30 & echo $! > {pidFile}; wait", TimeSpan.FromSeconds(1));
        Assert.True(run.TimedOut);
        Assert.Equal("SIGKILL", run.Exit.SignalName);
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(ProcFs.IsAlive(grandchild), $"grandchild {grandchild} survived the timeout");
    }

    [Fact]
    public async Task Run_LeaderExits_WhatItLeftInItsGroupIsKilled_ItsOutputKept()
    {
        using var dir = new TempDirectory("tether-runner-");
        var pidFile = dir.Join("pid");
        var quietFile = dir.Join("quiet");
        var run = await Run($"sleep 300 & echo $! > {pidFile}; sleep 300 >/dev/null 2>&1 </dev/null & echo $! > {quietFile}; echo started", TimeSpan.FromSeconds(300));
        Assert.False(run.TimedOut);
        Assert.Equal(0, run.Exit.ExitCode);
        Assert.Equal("started\n", run.Stdout.Decode());

        // Both were sent SIGKILL when the leader ended (death itself is asynchronous: wait for it, bounded).
        foreach (var file in new[] { pidFile, quietFile })
        {
            var background = int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await Poll.UntilAsync(() => !ProcFs.IsAlive(background), TimeSpan.FromSeconds(30), $"background job {background} to end with its command");
        }
    }

    [Fact]
    public async Task Run_StdinBytes_ReachTheChildThenEof()
    {
        var input = Encoding.UTF8.GetBytes("line one\nline two\n");
        var run = await Run("cat", stdin: input);
        Assert.Equal("line one\nline two\n", run.Stdout.Decode());
        Assert.Equal(0, run.Exit.ExitCode);
    }

    [Fact]
    public async Task Run_WithoutStdin_ReadsDevNull()
    {
        var run = await Run("cat; echo rc=$?");
        Assert.Equal("rc=0\n", run.Stdout.Decode());
    }

    [Fact]
    public async Task Run_Cwd_IsTheChildsWorkingDirectory()
    {
        var run = await Run("pwd", cwd: "/tmp");
        Assert.Equal("/tmp\n", run.Stdout.Decode());
    }

    [Fact]
    public async Task Run_KilledBySignal_ReportsTheSignalName()
    {
        var run = await Run("kill -TERM $$");
        Assert.Equal("SIGTERM", run.Exit.SignalName);
        Assert.Null(run.Exit.ExitCode);
    }

    [Fact]
    public async Task Start_MissingProgram_ThrowsChildProcessException()
    {
        await Assert.ThrowsAsync<ChildProcessException>(() => Runner().RunAsync(
            new ChildProcessStartOptions("no-such-program-tether", [], Env, null, false),
            default,
            TimeSpan.FromSeconds(5),
            1024,
            CancellationToken.None));
    }

    [Fact]
    public async Task Run_Shutdown_KillsTheTreeAndReportsCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var run = await Runner().RunAsync(
            new ChildProcessStartOptions("sleep", ["30"], Env, null, false), default, TimeSpan.FromSeconds(30), 1024, cts.Token);
        Assert.True(run.Cancelled);
        Assert.False(run.TimedOut);
    }
}
