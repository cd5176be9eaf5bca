namespace Tether.Platform.ServiceHost;

/// <summary>
/// How the Service Control Manager has the service configured, as it keeps it in the registry
/// (<c>HKLM\SYSTEM\CurrentControlSet\Services\Tether</c>): read to tell whether an install would
/// change anything.
/// </summary>
/// <param name="ImagePath">The command line (<c>sc.exe create … binPath=</c>).</param>
/// <param name="StartType">2 for <c>start= auto</c>.</param>
/// <param name="ResetPeriodSeconds">The failure actions' reset period; null when none are set.</param>
/// <param name="FailureActions">The failure actions (type, delay in ms); empty when none are set.</param>
/// <param name="FailureActionsOnNonCrashFailures">True after <c>sc.exe failureflag … 1</c>.</param>
internal sealed record InstalledService(
    string ImagePath,
    int StartType,
    int? ResetPeriodSeconds,
    IReadOnlyList<(int Type, int DelayMs)> FailureActions,
    bool FailureActionsOnNonCrashFailures);
