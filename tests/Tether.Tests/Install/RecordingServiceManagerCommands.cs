using Tether.Install;

namespace Tether.Tests.Install;

/// <summary>Records every command an installer issues; each answers with exit 0 and "active" unless <see cref="Answer"/> says otherwise.</summary>
internal sealed class RecordingServiceManagerCommands : IServiceManagerCommands
{
    private readonly List<ServiceCommandLine> _issued = [];

    public Func<ServiceCommandLine, ServiceCommandResult> Answer { get; set; } = static _ => new ServiceCommandResult(0, "active\n");

    public IReadOnlyList<string> Issued => _issued.Select(static c => c.ToString()).ToList();

    public Task<ServiceCommandResult> RunAsync(ServiceCommandLine command, CancellationToken ct)
    {
        _issued.Add(command);
        return Task.FromResult(Answer(command));
    }
}
