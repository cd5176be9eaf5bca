using System.Text.Json;
using Tether.Commands;
using Tether.Config;
using Tether.Tests.Infrastructure;

namespace Tether.Tests.Commands;

/// <summary>
/// The shared slot against the result (docs/protocol.md §4): with every slot taken by one command,
/// a command sent the moment its result arrives runs (the request is answered on the poster's
/// thread, before the finished command goes on), never "busy". A real `true` runs.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AdminRunCapabilityTests : IDisposable
{
    private readonly TempDirectory _dir = new("tether-admin-cap-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ACommandAnsweringAResultAtOnce_FindsTheSlotFree()
    {
        var world = new ResultAnswering(_dir.Path, admin: new AdminSettings { AllowedCommands = ["true", "/nonexistent-tool-xyz"], MaxConcurrent = 1 }, slots: 1);
        var capability = AdminRunCapability.Create(world.Context);

        world.AnswerNextResultWith("admin_run", Run("t2", "true"));
        await world.DispatchAsync("admin_run", Run("t1", "true"));
        var results = await world.ResultsAsync(_ => true, 2);
        Assert.Equal(["t1:0", "t2:0"], results.Select(Describe));

        // A command that cannot start (127) gives its slot back before its result, too.
        world.AnswerNextResultWith("admin_run", Run("t4", "true"));
        await world.DispatchAsync("admin_run", Run("t3", "/nonexistent-tool-xyz"));
        results = await world.ResultsAsync(_ => true, 4);
        Assert.Equal(["t1:0", "t2:0", "t3:127", "t4:0"], results.Select(Describe));
        await capability.ShutdownAsync(CancellationToken.None);
    }

    private static string Run(string token, string command) =>
        $$$"""{"token":"{{{token}}}","cmd":{"command":"{{{command}}}"}}""";

    private static string Describe((string Name, JsonElement Payload) r) =>
        r.Payload.GetProperty("token").GetString() + ":" + r.Payload.GetProperty("result").GetProperty("summary").GetProperty("code").GetInt32();
}
