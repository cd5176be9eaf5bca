namespace Tether.Config;

/// <summary><c>shell.outputEncoding</c>: how <c>shell_output.data</c> is encoded (docs/protocol.md §3).</summary>
internal enum ShellOutputEncoding
{
    Utf8,
    Base64,
}
