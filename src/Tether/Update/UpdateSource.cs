namespace Tether.Update;

/// <summary>Where the release file comes from: an https URL (the dashboard, <c>tether update --url</c>) or a local file (<c>--file</c>).</summary>
internal sealed record UpdateSource(Uri? Url, string? FilePath)
{
    public override string ToString() => Url?.GetLeftPart(UriPartial.Path) ?? FilePath ?? "?";
}
