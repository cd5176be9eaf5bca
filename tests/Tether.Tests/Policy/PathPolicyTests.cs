using Tether.Policy;


namespace Tether.Tests.Policy;

/// <summary>
/// Layout under a fresh temp dir (resolved, so a symlinked temp dir does not matter):
/// <c>app/sub</c>, <c>app/file</c>, <c>app2</c>, <c>outside</c>, <c>app/escape -> ../outside</c>,
/// <c>app/abs-escape -> {base}/outside</c>, <c>app/inner -> sub</c>, <c>applink -> app</c>,
/// <c>app/loop1 -> loop2 -> loop1</c>.
/// </summary>
public sealed class PathPolicyTests : IDisposable
{
    private readonly TempDirectory _dir = new("tether-pathpolicy-");
    private readonly string _base;
    private readonly string _app;

    public PathPolicyTests()
    {
        Assert.True(PathPolicy.TryResolve(_dir.Path, mustExist: true, out var resolved, out var error), error);
        _base = resolved;
        _app = Path.Join(_base, "app");
        Directory.CreateDirectory(Path.Join(_app, "sub"));
        Directory.CreateDirectory(Path.Join(_base, "app2"));
        Directory.CreateDirectory(Path.Join(_base, "outside"));
        File.WriteAllText(Path.Join(_app, "file"), "x");
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateSymbolicLink(Path.Join(_app, "escape"), "../outside");
            Directory.CreateSymbolicLink(Path.Join(_app, "abs-escape"), Path.Join(_base, "outside"));
            Directory.CreateSymbolicLink(Path.Join(_app, "inner"), "sub");
            Directory.CreateSymbolicLink(Path.Join(_base, "applink"), "app");
            File.CreateSymbolicLink(Path.Join(_app, "loop1"), "loop2");
            File.CreateSymbolicLink(Path.Join(_app, "loop2"), "loop1");
        }
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void PathInsideRoot_IsAllowedWithItsResolvedPath()
    {
        var result = PathPolicy.IsUnderAllowedRoot(Path.Join(_app, "sub"), [_app]);

        Assert.True(result.IsAllowed, result.Reason);
        Assert.Equal(Path.Join(_app, "sub"), result.ResolvedPath);
        Assert.Null(result.Reason);
    }

    [Fact]
    public void RootItself_IsAllowed()
    {
        Assert.True(PathPolicy.IsUnderAllowedRoot(_app, [_app]).IsAllowed);
        Assert.True(PathPolicy.IsUnderAllowedRoot(_app + "/", [_app + "/"]).IsAllowed);
    }

    [Fact]
    public void SiblingWithCommonPrefix_IsRefused()
    {
        var result = PathPolicy.IsUnderAllowedRoot(Path.Join(_base, "app2"), [_app]);

        Assert.False(result.IsAllowed);
        Assert.Contains("is not under an allowed root", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DotDotEscape_IsRefused()
    {
        var result = PathPolicy.IsUnderAllowedRoot(_app + "/sub/../../outside", [_app]);

        Assert.False(result.IsAllowed);
        Assert.Equal(Path.Join(_base, "outside"), result.ResolvedPath);
        Assert.Contains("resolves to", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DotDotStayingInside_IsAllowed()
    {
        var result = PathPolicy.IsUnderAllowedRoot(_app + "/sub/./../sub/", [_app]);

        Assert.True(result.IsAllowed, result.Reason);
        Assert.Equal(Path.Join(_app, "sub"), result.ResolvedPath);
    }

    [Fact]
    public void EmptyRoots_RefuseEverything()
    {
        var result = PathPolicy.IsUnderAllowedRoot(_app, []);

        Assert.False(result.IsAllowed);
        Assert.Equal("no allowed roots are configured", result.Reason);
    }

    [Fact]
    public void MissingPath_IsRefused()
    {
        var result = PathPolicy.IsUnderAllowedRoot(Path.Join(_app, "missing"), [_app]);

        Assert.False(result.IsAllowed);
        Assert.Contains("does not exist", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("relative/dir")]
    [InlineData("./app")]
    public void NonAbsolutePath_IsRefused(string path)
    {
        Assert.False(PathPolicy.IsUnderAllowedRoot(path, ["/"]).IsAllowed);
    }

    [Fact]
    public void PathWithNul_IsRefused()
    {
        Assert.Equal("path contains NUL", PathPolicy.IsUnderAllowedRoot(_app + "\0/x", [_app]).Reason);
    }

    [Fact]
    public void FileUsedAsDirectory_IsRefused()
    {
        var result = PathPolicy.IsUnderAllowedRoot(Path.Join(_app, "file", "x"), [_app]);

        Assert.False(result.IsAllowed);
        Assert.Contains("is not a directory", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeOrMissingRoots_AreSkipped()
    {
        Assert.False(PathPolicy.IsUnderAllowedRoot(_app, ["app", "", Path.Join(_base, "nope")]).IsAllowed);
        Assert.True(PathPolicy.IsUnderAllowedRoot(_app, ["app", _base]).IsAllowed);
    }

    [Fact]
    public void MissingTail_WhenAllowed_IsResolvedLexically()
    {
        var result = PathPolicy.IsUnderAllowedRoot(_app + "/new/deeper/../x", [_app], pathMustExist: false);

        Assert.True(result.IsAllowed, result.Reason);
        Assert.Equal(Path.Join(_app, "new", "x"), result.ResolvedPath);
        Assert.False(PathPolicy.IsUnderAllowedRoot(_app + "/new/../../outside/x", [_app], pathMustExist: false).IsAllowed);
    }

    [Fact]
    public void SymlinkPointingOutside_IsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var link in new[] { "escape", "abs-escape" })
        {
            var result = PathPolicy.IsUnderAllowedRoot(Path.Join(_app, link), [_app]);

            Assert.False(result.IsAllowed);
            Assert.Equal(Path.Join(_base, "outside"), result.ResolvedPath);
        }
    }

    [Fact]
    public void SymlinkStayingInside_IsAllowed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var result = PathPolicy.IsUnderAllowedRoot(Path.Join(_app, "inner"), [_app]);

        Assert.True(result.IsAllowed, result.Reason);
        Assert.Equal(Path.Join(_app, "sub"), result.ResolvedPath);
    }

    [Fact]
    public void DotDotAfterSymlink_AppliesToTheTarget()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Textually app/escape/.. is app; realpath makes it the parent of outside, the base.
        var result = PathPolicy.IsUnderAllowedRoot(_app + "/escape/..", [_app]);

        Assert.False(result.IsAllowed);
        Assert.Equal(_base, result.ResolvedPath);
    }

    [Fact]
    public void RootGivenThroughSymlink_IsResolvedToo()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.True(PathPolicy.IsUnderAllowedRoot(Path.Join(_app, "sub"), [Path.Join(_base, "applink")]).IsAllowed);
        Assert.True(PathPolicy.IsUnderAllowedRoot(Path.Join(_base, "applink", "sub"), [_app]).IsAllowed);
        Assert.False(PathPolicy.IsUnderAllowedRoot(Path.Join(_base, "app2"), [Path.Join(_base, "applink")]).IsAllowed);
    }

    [Fact]
    public void SymlinkLoop_IsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var result = PathPolicy.IsUnderAllowedRoot(Path.Join(_app, "loop1"), [_app]);

        Assert.False(result.IsAllowed);
        Assert.Contains("too many levels of symbolic links", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingTailThatClimbsBackIntoASymlink_StillFollowsIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var result = PathPolicy.IsUnderAllowedRoot(_app + "/missing/../escape/x", [_app], pathMustExist: false);

        Assert.False(result.IsAllowed);
        Assert.Equal(Path.Join(_base, "outside", "x"), result.ResolvedPath);
    }
}
