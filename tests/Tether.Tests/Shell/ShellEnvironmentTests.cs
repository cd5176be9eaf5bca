using System.Collections;
using Tether.Shell;

namespace Tether.Tests.Shell;

public sealed class ShellEnvironmentTests
{
    [Fact]
    public void Build_SetsTheBasics_PassesLocaleAndTz_AndDropsEverythingElse()
    {
        var agent = new Hashtable
        {
            ["PATH"] = "/opt/bin:/usr/bin",
            ["LANG"] = "de_DE.UTF-8",
            ["LC_ALL"] = "C.UTF-8",
            ["TZ"] = "Europe/Berlin",
            ["AUTH_TOKEN"] = "secret",
            ["HTTPS_PROXY"] = "http://user:pw@proxy",
            ["CLIENT_ID"] = "x",
            ["LC_"] = "odd",
        };

        var env = ShellEnvironment.Build(agent, "/home/op", "op", "/bin/bash");

        Assert.Equal(
            ["PATH=/opt/bin:/usr/bin", "HOME=/home/op", "USER=op", "LOGNAME=op", "SHELL=/bin/bash", "TERM=xterm-256color", "LANG=de_DE.UTF-8", "LC_ALL=C.UTF-8", "TZ=Europe/Berlin"],
            env);
    }

    [Fact]
    public void Build_WithoutPath_UsesAStandardOne()
    {
        var env = ShellEnvironment.Build(new Hashtable(), "/", "root", "/bin/sh");
        Assert.StartsWith("PATH=/usr/local/sbin:", env[0], StringComparison.Ordinal);
        Assert.DoesNotContain(env, e => e.StartsWith("LANG=", StringComparison.Ordinal));
    }
}
