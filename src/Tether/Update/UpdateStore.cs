using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tether.Update;

/// <summary>
/// The update's files in <c>&lt;stateDir&gt;/update/</c> (docs/protocol.md §10): <c>state.json</c>
/// (highest version installed, versions rolled back), <c>probation.json</c> and
/// <c>report.json</c>. Each is written to a temporary file, flushed to disk and renamed over
/// the old one, so a kill at any moment leaves the old or the new content, never a torn file.
/// </summary>
/// <remarks>One agent process uses the folder at a time; not thread-safe on its own.</remarks>
internal sealed class UpdateStore(string stateDirectory)
{
    public string Directory { get; } = Path.Join(stateDirectory, "update");

    public string StatePath => Path.Join(Directory, "state.json");

    public string ProbationPath => Path.Join(Directory, "probation.json");

    public string ReportPath => Path.Join(Directory, "report.json");

    public UpdateStateRecord ReadState() => Read(StatePath, UpdateJsonContext.Default.UpdateStateRecord) ?? new UpdateStateRecord();

    public void WriteState(UpdateStateRecord state) => Write(StatePath, state, UpdateJsonContext.Default.UpdateStateRecord);

    public ProbationRecord? ReadProbation() => Read(ProbationPath, UpdateJsonContext.Default.ProbationRecord);

    public void WriteProbation(ProbationRecord probation) => Write(ProbationPath, probation, UpdateJsonContext.Default.ProbationRecord);

    /// <summary>Removes the record durably: one that came back after a power loss would roll back a binary that passed.</summary>
    public void DeleteProbation()
    {
        File.Delete(ProbationPath);
        if (System.IO.Directory.Exists(Directory))
        {
            BinaryFiles.Instance.SyncDirectory(Directory);
        }
    }

    public UpdateReport? ReadReport() => Read(ReportPath, UpdateJsonContext.Default.UpdateReport);

    public void WriteReport(UpdateReport report) => Write(ReportPath, report, UpdateJsonContext.Default.UpdateReport);

    public void DeleteReport() => File.Delete(ReportPath);

    /// <summary>Records <paramref name="version"/> as installed when it is the highest so far.</summary>
    public void RaiseHighest(SemVersion version)
    {
        var state = ReadState();
        if (state.HighestVersion is null || !SemVersion.TryParse(state.HighestVersion, out var highest) || version.CompareTo(highest) > 0)
        {
            state.HighestVersion = version.Text;
            WriteState(state);
        }
    }

    public void AddRolledBack(string version)
    {
        var state = ReadState();
        if (!state.RolledBack.Contains(version))
        {
            state.RolledBack.Add(version);
            WriteState(state);
        }
    }

    /// <summary>A missing file is null; an unreadable or corrupt one is an <see cref="IOException"/> naming it.</summary>
    private static T? Read<T>(string path, JsonTypeInfo<T> type)
        where T : class
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new IOException($"{path} holds null");
        }
        catch (JsonException e)
        {
            throw new IOException($"{path} is not valid: {e.Message}", e);
        }
    }

    private void Write<T>(string path, T value, JsonTypeInfo<T> type)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(value, type));
    }
}
