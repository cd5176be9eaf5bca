namespace Tether.Platform.Pty;

/// <summary>
/// A pseudo-terminal could not be created, started or written: the one exception type
/// the shell capability catches from this layer (<see cref="PtyUnavailableException"/> is the
/// one case it reports differently).
/// </summary>
internal class PtyException : IOException
{
    public PtyException()
    {
    }

    public PtyException(string message)
        : base(message)
    {
    }

    public PtyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the OS error number it came from.</summary>
    internal PtyException(string message, int errorNumber)
        : base(message)
    {
        ErrorNumber = errorNumber;
    }

    /// <summary>The platform errno behind the failure, when there was one.</summary>
    internal int? ErrorNumber { get; }
}
