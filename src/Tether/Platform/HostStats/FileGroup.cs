namespace Tether.Platform.HostStats;

/// <summary>The name of the group that owns a file, for the "join the group" hint of a socket the agent may not open.</summary>
internal static class FileGroup
{
    /// <summary>The owning group's name from /etc/group, or null where it cannot be told (not Linux, no entry).</summary>
    public static string? NameOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        const int AtFdCwd = -100;
        if (Interop.Libc.StatxNative(AtFdCwd, path, 0, Interop.Libc.StatxBasicStats, out var stat) != 0)
        {
            return null;
        }

        try
        {
            foreach (string line in File.ReadLines("/etc/group"))
            {
                // name:password:gid:members
                string[] fields = line.Split(':');
                if (fields.Length >= 3 && uint.TryParse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint gid) && gid == stat.stx_gid)
                {
                    return fields[0];
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return stat.stx_gid.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
