namespace Tether.Logging;

/// <summary>What the server asked for (docs/protocol.md §7 audit log); written in snake_case.</summary>
internal enum AuditAction
{
    ShellStart,
    ShellClosed,
    AdminRun,
    CrontabInstall,
    SyncKeys,
    BackupStart,
    BackupEnd,
    AgentUpdate,
}
