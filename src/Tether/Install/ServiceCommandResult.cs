namespace Tether.Install;

/// <summary>How one service-manager command ended: its exit code (-1 when it did not start) and its output.</summary>
internal readonly record struct ServiceCommandResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}
