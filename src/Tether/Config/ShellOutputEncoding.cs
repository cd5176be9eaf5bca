namespace Tether.Config;

/// <summary><c>shell.outputEncoding</c>: how <c>shell_output.data</c> is encoded (CONTRACT §3).</summary>
internal enum ShellOutputEncoding
{
    Utf8,
    Base64,
}
