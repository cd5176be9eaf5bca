namespace Tether.Install;

/// <summary>One command an install, uninstall or status issues, e.g. <c>systemctl enable --now tether</c>.</summary>
internal sealed record ServiceCommandLine(string Program, IReadOnlyList<string> Arguments)
{
    public override string ToString() => Program + (Arguments.Count > 0 ? " " + string.Join(' ', Arguments) : "");
}
