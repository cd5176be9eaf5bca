namespace Tether.Platform.Processes;

/// <summary>A child process could not be started (no such program, exec failure, no pipes).</summary>
internal sealed class ChildProcessException : Exception
{
    public ChildProcessException()
    {
    }

    public ChildProcessException(string message)
        : base(message)
    {
    }

    public ChildProcessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
