namespace Tether.Config;

/// <summary>Internal to config loading: carries the one error message out of nested validation; never escapes <see cref="ConfigLoader.Load"/>.</summary>
internal sealed class ConfigErrorException : Exception
{
    public ConfigErrorException()
    {
    }

    public ConfigErrorException(string message)
        : base(message)
    {
    }

    public ConfigErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
