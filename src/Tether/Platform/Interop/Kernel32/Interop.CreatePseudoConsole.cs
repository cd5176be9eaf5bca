using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.Pty;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>COORD: two SHORTs, 4 bytes on every architecture.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Coord
        {
            internal short X;
            internal short Y;

            internal Coord(short x, short y)
            {
                X = x;
                Y = y;
            }
        }

        /// <summary>
        /// CreatePseudoConsole (Windows 10 1809+; probe with <see cref="WindowsPty.IsConPtyAvailable"/>
        /// first, the import is bound lazily). Returns an HRESULT. The console host duplicates
        /// <paramref name="input"/> and <paramref name="output"/>, so the caller closes its copies.
        /// </summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        internal static partial int CreatePseudoConsole(
            Coord size,
            SafeFileHandle input,
            SafeFileHandle output,
            uint flags,
            out SafePseudoConsoleHandle pseudoConsole);
    }
}
