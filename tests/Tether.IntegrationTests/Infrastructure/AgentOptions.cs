using System.Text.Json.Nodes;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>How <see cref="AgentProcess"/> starts the agent under test.</summary>
public sealed record AgentOptions
{
    /// <summary>Written to <c>agent-config.json</c> in the agent's temp folder; null writes no file.</summary>
    public JsonNode? Config { get; init; }

    /// <summary>First argument (<c>run</c>, <c>check</c>, <c>stats</c>); null for none.</summary>
    public string? Verb { get; init; } = "run";

    /// <summary>Pass <c>--config &lt;path&gt;</c> after the verb (only when <see cref="Config"/> is set).</summary>
    public bool PassConfigPath { get; init; } = true;

    /// <summary>Arguments after the verb and <c>--config</c>.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>
    /// Environment for the child on top of the cleaned inherited one (see
    /// <see cref="AgentProcess.IsConfigVariable"/>); a null value removes the variable.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Default: the agent's temp folder, so a relative <c>./agent-config.json</c> resolves there.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Another program to run instead of the agent (harness self-tests); its arguments go
    /// before the agent's. Null: <c>TETHER_AGENT_BIN</c>, else <c>dotnet …/tether.dll</c>.
    /// </summary>
    public string? Executable { get; init; }

    public IReadOnlyList<string> ExecutableArgs { get; init; } = [];
}
