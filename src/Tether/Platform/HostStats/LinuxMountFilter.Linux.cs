namespace Tether.Platform.HostStats;

/// <summary>
/// Which mounts of <c>/proc/self/mountinfo</c> are real file systems an operator wants to see
/// (docs/protocol.md §3 <c>disks</c>): not kernel pseudo file systems, not the overlays and
/// <c>shm</c> mounts a container engine makes for each container, not the tmpfs mounts of
/// <c>/run</c> and <c>/dev</c>. A tmpfs mounted elsewhere (<c>/tmp</c>, a RAM disk) is listed. Pure.
/// </summary>
internal static class LinuxMountFilter
{
    private static readonly string[] s_pseudoTypes =
    [
        "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "pstore", "bpf", "debugfs", "tracefs",
        "securityfs", "configfs", "fusectl", "mqueue", "hugetlbfs", "autofs", "binfmt_misc", "rpc_pipefs",
        "nsfs", "efivarfs", "selinuxfs", "ramfs", "squashfs", "nfsd", "fuse.lxcfs", "fuse.gvfsd-fuse",
        "fuse.portal", "fuse.snapfuse", "overlay", "aufs", "shm", "tracefs", "devfs", "none",
    ];

    // Where container engines keep per-container mounts (overlay roots, shm, secrets).
    private static readonly string[] s_containerRoots =
    [
        "/var/lib/docker/", "/var/lib/containers/", "/run/containers/", "/var/run/docker/", "/run/docker/",
        "/var/lib/kubelet/", "/run/netns/", "/var/run/netns/", "/run/user/",
    ];

    private static readonly string[] s_systemTmpfsRoots = ["/run", "/dev", "/sys", "/proc"];

    /// <summary>Whether a mount of <paramref name="fsType"/> at <paramref name="mountPoint"/> (escaped form is fine) is listed.</summary>
    public static bool IsListed(ReadOnlySpan<byte> fsType, ReadOnlySpan<byte> mountPoint)
    {
        if (StartsWithAny(mountPoint, "/proc/"u8) || StartsWithAny(mountPoint, "/sys/"u8) || mountPoint.SequenceEqual("/proc"u8) || mountPoint.SequenceEqual("/sys"u8))
        {
            return false;
        }

        foreach (string pseudo in s_pseudoTypes)
        {
            if (Equals(fsType, pseudo))
            {
                // An overlay as the root file system (a live system, a container's own root) is the disk there is.
                return pseudo == "overlay" && mountPoint.SequenceEqual("/"u8);
            }
        }

        foreach (string root in s_containerRoots)
        {
            if (StartsWith(mountPoint, root))
            {
                return false;
            }
        }

        if (Equals(fsType, "tmpfs"))
        {
            foreach (string root in s_systemTmpfsRoots)
            {
                if (Equals(mountPoint, root) || (StartsWith(mountPoint, root) && mountPoint.Length > root.Length && mountPoint[root.Length] == '/'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool StartsWithAny(ReadOnlySpan<byte> text, ReadOnlySpan<byte> prefix) => text.StartsWith(prefix);

    private static bool Equals(ReadOnlySpan<byte> bytes, string ascii)
    {
        if (bytes.Length != ascii.Length)
        {
            return false;
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != ascii[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool StartsWith(ReadOnlySpan<byte> bytes, string ascii) =>
        bytes.Length >= ascii.Length && Equals(bytes[..ascii.Length], ascii);
}
