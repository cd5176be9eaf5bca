namespace Tether.Logging;

/// <summary>Records every action the server asks for. Implementations are thread-safe and never throw.</summary>
internal interface IAuditLog
{
    void Write(AuditEntry entry);
}
