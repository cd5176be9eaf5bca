using System.IO.Pipes;
using System.Net.Sockets;

namespace Tether.Platform.HostStats;

/// <summary>
/// Where a Docker-compatible engine listens, and opening one connection to it (docs/protocol.md §3
/// <c>containers</c>): a Unix socket (Docker, Podman rootful and rootless) or, on Windows, a named
/// pipe (<c>npipe:////./pipe/docker_engine</c>).
/// </summary>
/// <param name="Address">A socket path, or the pipe name for <see cref="IsNamedPipe"/>.</param>
internal sealed record ContainerEngineSocket(string Address, bool IsNamedPipe)
{
    /// <summary>
    /// The sockets to try, in order: <c>$DOCKER_HOST</c> alone when it names a <c>unix://</c> or
    /// <c>npipe://</c> address; else Docker's <c>/var/run/docker.sock</c>, rootful Podman's
    /// <c>/run/podman/podman.sock</c>, rootless Podman's <c>/run/user/&lt;uid&gt;/podman/podman.sock</c>
    /// (and <c>$XDG_RUNTIME_DIR/podman/podman.sock</c>); on Windows the <c>docker_engine</c> pipe.
    /// </summary>
    public static IReadOnlyList<ContainerEngineSocket> Candidates(string? dockerHost)
    {
        if (TryParseDockerHost(dockerHost) is { } explicitSocket)
        {
            return [explicitSocket];
        }

        if (OperatingSystem.IsWindows())
        {
            return [new ContainerEngineSocket("docker_engine", IsNamedPipe: true)];
        }

        var list = new List<ContainerEngineSocket>
        {
            new("/var/run/docker.sock", false),
            new("/run/podman/podman.sock", false),
        };
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            uint uid = Interop.Libc.Geteuid();
            if (uid != 0)
            {
                list.Add(new ContainerEngineSocket($"/run/user/{uid}/podman/podman.sock", false));
            }
        }

        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtimeDir
            && Path.Join(runtimeDir, "podman", "podman.sock") is var rootless
            && !list.Exists(c => c.Address == rootless))
        {
            list.Add(new ContainerEngineSocket(rootless, false));
        }

        return list;
    }

    /// <summary><c>unix:///path</c>, or on Windows <c>npipe:////./pipe/name</c>; anything else (tcp://, ssh://) is not used.</summary>
    public static ContainerEngineSocket? TryParseDockerHost(string? dockerHost)
    {
        if (string.IsNullOrEmpty(dockerHost))
        {
            return null;
        }

        if (dockerHost.StartsWith("unix://", StringComparison.Ordinal) && dockerHost.Length > "unix://".Length)
        {
            return new ContainerEngineSocket(dockerHost["unix://".Length..], false);
        }

        const string PipePrefix = "npipe:////./pipe/";
        if (OperatingSystem.IsWindows() && dockerHost.StartsWith(PipePrefix, StringComparison.OrdinalIgnoreCase) && dockerHost.Length > PipePrefix.Length)
        {
            return new ContainerEngineSocket(dockerHost[PipePrefix.Length..], true);
        }

        return null;
    }

    /// <summary>Opens one connection. Throws <see cref="SocketException"/>, <see cref="IOException"/>, <see cref="UnauthorizedAccessException"/> or <see cref="TimeoutException"/>.</summary>
    public async Task<Stream> ConnectAsync(CancellationToken ct)
    {
        // The IsWindows() test is a constant to NativeAOT: other targets carry no pipe code.
        if (IsNamedPipe && OperatingSystem.IsWindows())
        {
            var pipe = new NamedPipeClientStream(".", Address, PipeDirection.InOut, PipeOptions.Asynchronous);
            try
            {
                await pipe.ConnectAsync(ct);
                return pipe;
            }
            catch
            {
                await pipe.DisposeAsync();
                throw;
            }
        }

        if (IsNamedPipe)
        {
            throw new PlatformNotSupportedException($"{this}: named pipes are a Windows engine's address");
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Address), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override string ToString() => IsNamedPipe ? $"npipe:////./pipe/{Address}" : $"unix://{Address}";
}
