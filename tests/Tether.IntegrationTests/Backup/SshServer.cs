using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tether.IntegrationTests.Backup;

/// <summary>
/// A real sshd on a free high port of 127.0.0.2 with its own host key, a client key allowed for
/// root, and a known_hosts naming the host key; killed and deleted on dispose, even when a test fails.
/// </summary>
internal sealed class SshServer : IAsyncDisposable
{
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.2");

    private readonly Process _process;

    private SshServer(string directory, int port, Process process)
    {
        Directory = directory;
        Port = port;
        _process = process;
    }

    public string Directory { get; }

    public int Port { get; }

    public string KnownHostsFile => Path.Join(Directory, "known_hosts");

    public string IdentityFile => Path.Join(Directory, "client_ed25519");

    public static async Task<SshServer> StartAsync()
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("tether-sshd-").FullName;
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Join(dir, "host_ed25519"));
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Join(dir, "client_ed25519"));
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Join(dir, "other_host_ed25519"));
        File.Copy(Path.Join(dir, "client_ed25519.pub"), Path.Join(dir, "authorized_keys"));
        System.IO.Directory.CreateDirectory("/run/sshd");

        int port;
        using (var probe = new TcpListener(Address, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        string hostKey = File.ReadAllText(Path.Join(dir, "host_ed25519.pub")).Trim();
        File.WriteAllText(Path.Join(dir, "known_hosts"), $"[127.0.0.2]:{port} {HostKeyTypeAndBlob(hostKey)}\n");
        File.WriteAllText(Path.Join(dir, "wrong_known_hosts"), $"[127.0.0.2]:{port} {HostKeyTypeAndBlob(File.ReadAllText(Path.Join(dir, "other_host_ed25519.pub")).Trim())}\n");
        File.WriteAllText(Path.Join(dir, "sshd_config"), string.Join('\n',
            $"Port {port}",
            "ListenAddress 127.0.0.2",
            $"HostKey {dir}/host_ed25519",
            $"AuthorizedKeysFile {dir}/authorized_keys",
            $"PidFile {dir}/sshd.pid",
            "StrictModes no",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "LogLevel VERBOSE",
            string.Empty));

        var psi = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-D", "-e", "-f", Path.Join(dir, "sshd_config") })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new SshServer(dir, port, process);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Address, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static string HostKeyTypeAndBlob(string publicKeyLine)
    {
        var parts = publicKeyLine.Split(' ');
        return parts[0] + " " + parts[1];
    }

    private static void Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} failed: {err}");
    }
}
