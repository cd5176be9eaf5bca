using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Commands;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Keys;

/// <summary>
/// docs/protocol.md §6 against a hostile local user: the agent (root) syncs keys into the home of an
/// unprivileged test user, who swaps <c>~/.ssh</c> or <c>~/.ssh/authorized_keys</c> for a symlink to
/// a root-only folder. The sync refuses with a clear error and nothing is written, read or chmodded
/// there; files the sync creates belong to the user.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeySyncAttackTests
{
    private const string User = "tether-keytest";
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0700 = Mode0600 | UnixFileMode.UserExecute;
    private const UnixFileMode Mode0755 = Mode0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public async Task UserSwapsSshFolderOrKeyFileForASymlinkToARootFolder_SyncRefuses_NothingWrittenThere()
    {
        UnprivilegedAgent.EnsureUser(User);
        var uid = int.Parse(UnprivilegedAgent.Run("id", "-u", User).Output.Trim(), CultureInfo.InvariantCulture);

        // A root-only folder standing for /root/.ssh (0755 here, so a chmod to 0700 would show).
        using var rootSsh = new TempDirectory("tether-rootssh-");
        File.SetUnixFileMode(rootSsh.Path, Mode0755);
        var rootKeys = rootSsh.Write("authorized_keys", "ssh-ed25519 AAAAroot root@host\n");
        File.SetUnixFileMode(rootKeys, Mode0600);

        // The user's home, owned by the user.
        using var home = new TempDirectory("tether-keyhome-");
        Chown(home.Path);
        var ssh = home.Join(".ssh");
        var file = Path.Combine(ssh, "authorized_keys");

        using var certs = TestCertificates.Create();
        await using var keys = KeysHttpsServer.Start(certs.ServerCertPemPath, certs.ServerKeyPemPath);
        keys.Routes["/octocat.keys"] = new(200, KeyMaterial.Ed25519(11) + "\n");
        await using var peer = await PeerServer.StartAsync();
        var config = peer.CreateAgentConfig("keyattack");
        config["keys"] = new JsonObject { ["baseUrl"] = keys.BaseUrl, ["authorizedKeysFile"] = file };
        config["transport"] = new JsonObject { ["caFile"] = certs.CaPemPath };
        await using var agent = await AgentProcess.StartAsync(config);
        await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "keyattack");

        // 1. ~/.ssh -> the root folder, made by the user.
        AsUser("ln", "-s", rootSsh.Path, ssh);
        var folderLink = await SyncAsync(peer, peer.RecordCount);
        Assert.False(folderLink.GetProperty("ok").GetBoolean(), folderLink.ToString());
        Assert.Contains($"{ssh} is", folderLink.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("symbolic link", folderLink.GetProperty("error").GetString(), StringComparison.Ordinal);
        AssertRootFolderUntouched(rootSsh, rootKeys);

        // 2. A real ~/.ssh, but authorized_keys -> the root file.
        AsUser("rm", ssh);
        AsUser("mkdir", "-m", "700", ssh);
        AsUser("ln", "-s", rootKeys, file);
        var fileLink = await SyncAsync(peer, peer.RecordCount);
        Assert.False(fileLink.GetProperty("ok").GetBoolean(), fileLink.ToString());
        Assert.Contains($"{file} is a symbolic link", fileLink.GetProperty("error").GetString(), StringComparison.Ordinal);
        AssertRootFolderUntouched(rootSsh, rootKeys);
        Assert.Equal(rootKeys, new FileInfo(file).LinkTarget);

        // 3. Without the trap, the sync creates what is missing, owned by the user.
        AsUser("rm", "-r", ssh);
        var clean = await SyncAsync(peer, peer.RecordCount);
        Assert.True(clean.GetProperty("ok").GetBoolean(), clean.ToString());
        Assert.Equal(KeyMaterial.Ed25519(11) + "\n", await File.ReadAllTextAsync(file));
        Assert.Equal(uid, Owner(ssh));
        Assert.Equal(uid, Owner(file));
        Assert.Equal(Mode0700, File.GetUnixFileMode(ssh));
        Assert.Equal(Mode0600, File.GetUnixFileMode(file));
        AssertRootFolderUntouched(rootSsh, rootKeys);

        var audit = agent.ReadAuditRecords().Where(r => r.GetProperty("action").GetString() == "sync_keys").Select(r => r.GetProperty("outcome").GetString());
        Assert.Equal(["failed", "failed", "ok"], audit);
    }

    [Fact]
    public async Task UnprivilegedAgent_SyncsIntoItsOwnHome()
    {
        using var certs = TestCertificates.Create();
        await using var keys = KeysHttpsServer.Start(certs.ServerCertPemPath, certs.ServerKeyPemPath);
        keys.Routes["/octocat.keys"] = new(200, KeyMaterial.Ed25519(12) + "\n");

        // The CA where the test user can read it.
        using var shared = new TempDirectory("tether-keyca-");
        File.SetUnixFileMode(shared.Path, Mode0755);
        var ca = shared.Join("ca.pem");
        File.Copy(certs.CaPemPath, ca);
        File.SetUnixFileMode(ca, Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var peer = await PeerServer.StartAsync();
        var config = peer.CreateAgentConfig("keyself");
        config["keys"] = new JsonObject { ["baseUrl"] = keys.BaseUrl };
        config["transport"] = new JsonObject { ["caFile"] = ca };
        await using var agent = await UnprivilegedAgent.StartAsync(User, config);
        await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "keyself");

        await peer.EmitAsync("sync_keys", new JsonObject { ["user"] = "octocat" }, "keyself");
        var result = (await peer.WaitForEventAsync("keys_sync_result", Waits.Event, r => r.ClientId == "keyself")).Payload;
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var file = Path.Combine(agent.Directory, ".ssh", "authorized_keys");
        Assert.Equal(KeyMaterial.Ed25519(12) + "\n", await File.ReadAllTextAsync(file));
        var uid = int.Parse(UnprivilegedAgent.Run("id", "-u", User).Output.Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(uid, Owner(file));
    }

    private static void AssertRootFolderUntouched(TempDirectory rootSsh, string rootKeys)
    {
        Assert.Equal("ssh-ed25519 AAAAroot root@host\n", File.ReadAllText(rootKeys));
        Assert.Equal([rootKeys], Directory.GetFileSystemEntries(rootSsh.Path));
        Assert.Equal(Mode0755, File.GetUnixFileMode(rootSsh.Path));
        Assert.Equal(Mode0600, File.GetUnixFileMode(rootKeys));
        Assert.Equal(0, Owner(rootKeys));
    }

    private static async Task<JsonElement> SyncAsync(PeerServer peer, int fromIndex)
    {
        await peer.EmitAsync("sync_keys", new JsonObject { ["user"] = "octocat" }, "keyattack");
        return (await peer.WaitForEventAsync("keys_sync_result", Waits.Event, r => r.ClientId == "keyattack", fromIndex)).Payload;
    }

    private static void Chown(string path)
    {
        var (code, output) = UnprivilegedAgent.Run("chown", User + ":", path);
        Assert.True(code == 0, $"chown failed: {output}");
    }

    private static void AsUser(params string[] command)
    {
        var (code, output) = UnprivilegedAgent.Run("setpriv", [$"--reuid={User}", $"--regid={User}", "--init-groups", "--", .. command]);
        Assert.True(code == 0, $"{string.Join(' ', command)} as {User} failed: {output}");
    }

    private static int Owner(string path)
    {
        var (code, output) = UnprivilegedAgent.Run("stat", "-c", "%u", path);
        Assert.True(code == 0, output);
        return int.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
