namespace Tether.Platform.Memory;

/// <summary>One line of <c>/proc/PID/maps</c>: an address range, its permissions and the file behind it.</summary>
/// <param name="Start">First address.</param>
/// <param name="End">One past the last address.</param>
/// <param name="Permissions">Four characters, e.g. <c>r-xp</c>.</param>
/// <param name="Path">The mapped file, or empty for anonymous memory.</param>
internal readonly record struct MemoryMapping(ulong Start, ulong End, string Permissions, string Path)
{
    /// <summary>Neither writable nor shared: pages that can only ever be clean copies of the file.</summary>
    public bool IsReadOnlyPrivate => Permissions.Length == 4 && Permissions[1] == '-' && Permissions[3] == 'p';
}
