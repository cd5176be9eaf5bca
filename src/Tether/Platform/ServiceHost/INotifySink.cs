using System.Diagnostics.CodeAnalysis;

namespace Tether.Platform.ServiceHost;

/// <summary>Where <see cref="SystemdNotifier"/> sends its datagrams (the socket in production, a list in tests).</summary>
internal interface INotifySink : IDisposable
{
    /// <summary>Sends one notification; never blocks and never throws for a failed send.</summary>
    /// <returns>False with a reason when the message did not go out.</returns>
    bool TrySend(string message, [NotNullWhen(false)] out string? error);
}
