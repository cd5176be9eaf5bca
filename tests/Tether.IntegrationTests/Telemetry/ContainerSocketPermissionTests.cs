using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Commands;

namespace Tether.IntegrationTests.Telemetry;

/// <summary>
/// <c>tether stats</c> run as an unprivileged user against a real engine socket it may not open
/// (mode 0660, owned by a group it is not in): the sample is still printed, without
/// <c>containers</c>, and one warning names the group to join.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ContainerSocketPermissionTests
{
    private const string User = "tether-stats";
    private const string Group = "tether-engine";

    [Fact]
    public async Task SocketWithoutPermission_SampleWithoutContainers_OneWarningNamingTheGroup()
    {
        UnprivilegedAgent.EnsureUser(User);
        if (UnprivilegedAgent.Run("getent", "group", Group).Code != 0)
        {
            var (code, output) = UnprivilegedAgent.Run("groupadd", Group);
            Assert.True(code == 0, $"groupadd failed: {output}");
        }

        var dir = Directory.CreateTempSubdirectory("tether-engine-perm-");
        try
        {
            File.SetUnixFileMode(dir.FullName, (UnixFileMode)0b111_101_101);
            string path = Path.Join(dir.FullName, "docker.sock");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(4);
            File.SetUnixFileMode(path, (UnixFileMode)0b110_110_000);
            Assert.Equal(0, UnprivilegedAgent.Run("chgrp", Group, path).Code);

            var (executable, prefix) = UnprivilegedAgent.ResolveAgent();
            var info = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir.FullName };
            foreach (string arg in (string[])[$"--reuid={User}", $"--regid={User}", "--init-groups", "--", executable, .. prefix, "stats"])
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment["DOCKER_HOST"] = "unix://" + path;
            info.Environment["HOME"] = dir.FullName;
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            Assert.Equal(0, process.ExitCode);
            var data = JsonNode.Parse(await stdout)!.AsObject();
            Assert.True(data.ContainsKey("cpu"));
            Assert.False(data.ContainsKey("containers"));
            string[] warnings = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            string warning = Assert.Single(warnings);
            Assert.Contains("permission denied", warning, StringComparison.Ordinal);
            Assert.Contains($"group '{Group}'", warning, StringComparison.Ordinal);
            Assert.Contains(path, warning, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
