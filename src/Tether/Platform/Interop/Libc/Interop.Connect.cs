using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>connect(2); <paramref name="address"/> is a native <c>struct sockaddr</c> (<c>SocketAddress.Buffer</c>).</summary>
        [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
        internal static unsafe partial int Connect(SafeHandle socket, byte* address, uint addressLength);
    }
}
