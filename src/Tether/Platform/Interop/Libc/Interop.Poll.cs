using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary><c>struct pollfd</c>, identical on Linux and macOS.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct PollFd
        {
            internal int Fd;
            internal short Events;
            internal short ReturnedEvents;
        }

        /// <summary>
        /// poll(2). <c>nfds_t</c> is unsigned long on Linux and unsigned int on macOS; a
        /// register-sized <see cref="nuint"/> serves both.
        /// </summary>
        [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
        internal static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);
    }
}
