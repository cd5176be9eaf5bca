using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using Tether.Platform.HostStats;
using Tether.Telemetry;
using Xunit.Abstractions;

namespace Tether.Tests.Telemetry;

/// <summary>
/// A real engine: Debian's Podman with its Docker-compatible API service (<c>podman system service</c>)
/// on a socket of the test's own, running containers from an image imported from
/// <c>busybox-static</c> (no registry). The figures are checked against <c>podman stats --no-stream</c>.
/// </summary>
/// <remarks>
/// This machine kind needs three adjustments, all local to the test's own processes: storage
/// <c>vfs</c> in a private root (no overlay inside the VM's overlay), a private mount namespace
/// without <c>/sys/fs/cgroup/unified</c> (the host's cgroups are hybrid v1+v2, which crun refuses;
/// without the v2 mount it runs on v1), and an OCI runtime wrapper that drops the rlimits from
/// the container spec (the VM withholds CAP_SYS_RESOURCE, so crun's setrlimit fails with EPERM).
/// </remarks>
[SupportedOSPlatform("linux")]
public sealed class PodmanEngineTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("tether-podman-");
    private Process? _service;

    private string Socket => _dir.Join("podman.sock");

    public async Task InitializeAsync()
    {
        string wrapperDir = _dir.Join("oci");
        Directory.CreateDirectory(wrapperDir);
        // Named "crun" so Podman treats it as crun (it checks the runtime's name for cgroup options).
        File.WriteAllText(Path.Join(wrapperDir, "crun"), """
            #!/usr/bin/env python3
            import json, os, sys
            args = sys.argv[1:]
            if "create" in args or "run" in args:
                bundle = args[args.index("--bundle") + 1] if "--bundle" in args else "."
                path = os.path.join(bundle, "config.json")
                spec = json.load(open(path))
                spec.get("process", {}).pop("rlimits", None)
                json.dump(spec, open(path, "w"))
            os.execv("/usr/bin/crun", ["crun"] + args)
            """.Replace("            ", "", StringComparison.Ordinal));
        File.SetUnixFileMode(Path.Join(wrapperDir, "crun"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        string rootfs = _dir.Join("rootfs");
        Directory.CreateDirectory(Path.Join(rootfs, "bin"));
        File.Copy("/bin/busybox", Path.Join(rootfs, "bin", "busybox"));
        foreach (string applet in new[] { "sh", "yes", "dd", "sleep", "cat" })
        {
            File.CreateSymbolicLink(Path.Join(rootfs, "bin", applet), "busybox");
        }

        Run("tar", "-C", rootfs, "-cf", _dir.Join("rootfs.tar"), ".");
        Podman("import", _dir.Join("rootfs.tar"), "localhost/tether-busybox:test");

        _service = Start(PodmanCommand("system", "service", "--time=0", "unix://" + Socket));
        await Poll.UntilAsync(() => File.Exists(Socket), TimeSpan.FromSeconds(30), "the podman API socket");

        Podman("run", "-d", "--name", "tether-burn", "--network", "none", "localhost/tether-busybox:test", "sh", "-c", "yes > /dev/null");
        Podman("run", "-d", "--name", "tether-mem", "--network", "none", "localhost/tether-busybox:test", "sh", "-c", "dd if=/dev/zero of=/dev/shm/fill bs=1M count=40 && sleep 3600");
        Podman("run", "-d", "--name", "tether-idle", "--network", "none", "localhost/tether-busybox:test", "sleep", "3600");
    }

    public async Task DisposeAsync()
    {
        try
        {
            PodmanUnchecked("rm", "-f", "-t", "0", "-a");
        }
        finally
        {
            if (_service is { HasExited: false })
            {
                _service.Kill(entireProcessTree: true);
                await _service.WaitForExitAsync();
            }

            _service?.Dispose();
            PodmanUnchecked("system", "reset", "-f");
            _dir.Dispose();
        }
    }

    [Fact]
    public async Task RunningContainers_FiguresAgreeWithPodmanStats()
    {
        var source = new ContainerStatsSource([new ContainerEngineSocket(Socket, false)], TimeProvider.System, new CapturingLogger<ContainerStatsSource>());

        await source.SampleAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var ours = (await source.SampleAsync(CancellationToken.None))!;
        var theirs = PodmanStats();
        foreach (var c in ours)
        {
            output.WriteLine($"{c.Name}: tether cpu {c.CpuPercent}% mem {c.MemBytes} B; podman stats cpu {theirs[c.Name].Cpu}% mem {theirs[c.Name].Mem} B");
        }

        Assert.Equal(["tether-burn", "tether-idle", "tether-mem"], ours.Select(c => c.Name).Order().ToArray());
        Assert.All(ours, c => Assert.Equal("running", c.State));
        Assert.All(ours, c => Assert.Equal("localhost/tether-busybox:test", c.Image));
        var burn = ours.Single(c => c.Name == "tether-burn");
        var mem = ours.Single(c => c.Name == "tether-mem");

        // CPU: both are averages over a few seconds of a loop that wants one core on a shared
        // two-core machine, so they differ by the load of the neighbours: within 35 points, and
        // clearly busy (the idle one clearly not).
        Assert.InRange(burn.CpuPercent, 20, 110);
        Assert.InRange(burn.CpuPercent, theirs["tether-burn"].Cpu - 35, theirs["tether-burn"].Cpu + 35);
        Assert.InRange(ours.Single(c => c.Name == "tether-idle").CpuPercent, 0, 5);

        // Memory: the 40 MiB in /dev/shm are the container's; Podman's own figure within 4 MiB.
        Assert.InRange(mem.MemBytes, 40UL << 20, 64UL << 20);
        Assert.InRange((double)mem.MemBytes, theirs["tether-mem"].Mem - (4 << 20), theirs["tether-mem"].Mem + (4 << 20));
        Assert.True(mem.MemLimitBytes > 0);
    }

    private Dictionary<string, (double Cpu, double Mem)> PodmanStats()
    {
        string json = Podman("stats", "--no-stream", "--format", "json");
        var result = new Dictionary<string, (double, double)>();
        foreach (var entry in JsonDocument.Parse(json).RootElement.EnumerateArray())
        {
            string name = entry.GetProperty("name").GetString()!;
            double cpu = double.Parse(entry.GetProperty("cpu_percent").GetString()!.TrimEnd('%'), CultureInfo.InvariantCulture);
            double mem = ParseSize(entry.GetProperty("mem_usage").GetString()!.Split(" / ")[0]);
            result[name] = (cpu, mem);
        }

        return result;
    }

    // Podman prints sizes in decimal units (kB, MB, GB), as go-units' HumanSize does.
    private static double ParseSize(string text)
    {
        text = text.Trim();
        int split = text.IndexOfAny("kMGTB".ToCharArray());
        double value = double.Parse(text[..split], CultureInfo.InvariantCulture);
        return text[split..] switch
        {
            "B" => value,
            "kB" => value * 1e3,
            "MB" => value * 1e6,
            "GB" => value * 1e9,
            _ => throw new FormatException($"unknown size unit in '{text}'"),
        };
    }

    private string[] PodmanCommand(params string[] args) =>
    [
        "unshare", "-m", "--propagation", "private", "sh", "-c", "umount /sys/fs/cgroup/unified 2>/dev/null; exec podman \"$@\"", "podman",
        "--root", _dir.Join("storage"), "--runroot", _dir.Join("run"), "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs",
        "--events-backend", "file", "--runtime", _dir.Join("oci", "crun"), "--tmpdir", _dir.Join("tmp"), .. args,
    ];

    private string Podman(params string[] args)
    {
        var (code, output, error) = RunUnchecked(PodmanCommand(args));
        Assert.True(code == 0, $"podman {string.Join(' ', args)} exited {code}: {error}");
        return output;
    }

    private void PodmanUnchecked(params string[] args) => RunUnchecked(PodmanCommand(args));

    private static void Run(params string[] command)
    {
        var (code, _, error) = RunUnchecked(command);
        Assert.True(code == 0, $"{string.Join(' ', command)} exited {code}: {error}");
    }

    private static Process Start(string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = false, RedirectStandardError = false };
        foreach (string arg in command[1..])
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static (int Code, string Output, string Error) RunUnchecked(string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in command[1..])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
        }

        return (process.ExitCode, stdout.Result, stderr);
    }
}
