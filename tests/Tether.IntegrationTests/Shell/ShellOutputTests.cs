using System.Globalization;
using System.Text.RegularExpressions;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Tether.IntegrationTests.Shell;

public sealed partial class ShellOutputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FiftyMegabytes_ArriveInOrder_InFewLargeEvents_WithBoundedAgentMemory()
    {
        const int Lines = 6_000_000; // `seq` prints ~41 MB; the terminal's \r\n makes it ~53 MB
        await using var h = await AgentShellHarness.StartAsync("shell-flood");
        var shell = await h.OpenShellAsync("s1");

        shell.Mark();
        await h.InputAsync("s1", $"seq 1 {Lines}; echo end-$((6*7))\n");
        var text = await shell.WaitForAsync("end-42", TimeSpan.FromMinutes(3));

        // Every line, in order, nothing lost or duplicated.
        // Bash ends bracketed-paste mode (ESC [?2004l CR) right before the command's output.
        var start = text.IndexOf("1\r\n2\r\n3\r\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "no first line");
        var position = start;
        for (var i = 1; i <= Lines; i++)
        {
            var line = i.ToString(CultureInfo.InvariantCulture);
            if (string.CompareOrdinal(text, position, line, 0, line.Length) != 0 || text[position + line.Length] != '\r' || text[position + line.Length + 1] != '\n')
            {
                Assert.Fail($"line {i} wrong at offset {position}: '{text.Substring(position, Math.Min(40, text.Length - position))}'");
            }

            position += line.Length + 2;
        }

        var bytes = (long)(position - start);
        var records = h.Peer.Records.Where(r => r.Kind == "event" && r.Event == "shell_output").ToList();
        var seconds = (records[^1].At - records[0].At) / 1000;
        var hwmKb = ProcFs.StatusKb(h.Agent.ProcessId, "VmHWM");

        await h.Peer.EmitAsync("shell_close", new { session = "s1" });
        await h.WaitForClosedAsync("s1");
        var ended = await h.Agent.WaitForLogAsync(r => ShellBasicsTests.Message(r).StartsWith("shell s1 ended", StringComparison.Ordinal), Waits.Event);
        var counts = EndedPattern().Match(ShellBasicsTests.Message(ended));
        var reads = long.Parse(counts.Groups["reads"].Value, CultureInfo.InvariantCulture);
        var events = long.Parse(counts.Groups["events"].Value, CultureInfo.InvariantCulture);
        output.WriteLine(
            $"{bytes / 1e6:F1} MB in {shell.Events} events ({reads} PTY reads by the pump, {events} sent) over {seconds:F1} s = {bytes / 1e6 / seconds:F1} MB/s; agent VmHWM {hwmKb / 1024.0:F1} MB");

        // 64 KiB per event at most, so at least bytes/64Ki events; a PTY read is at most 4 KiB
        // of a line discipline buffer, so one event per read would be 16 times as many.
        Assert.True(shell.Events < bytes / 16384, $"{shell.Events} events for {bytes} bytes");
        Assert.True(hwmKb < 150 * 1024, $"agent peak RSS {hwmKb} kB");
    }

    [Fact]
    public async Task StalledServer_SlowsTheShellDown_InsteadOfGrowingAgentMemory()
    {
        const long Total = 2_000_000_000;
        await using var h = await AgentShellHarness.StartAsync("shell-backpressure");
        await h.OpenShellAsync("s1");
        await h.InputAsync("s1", $"head -c {Total} /dev/zero | tr '\\0' a; echo end-$((6*7))\n");
        var writer = 0;
        await Poll.UntilAsync(() => (writer = ProcFs.Descendants(h.Agent.ProcessId).FirstOrDefault(p => ProcFs.Command(p) == "tr")) != 0, Waits.Event, "tr to start");

        // The peer stops reading (SIGSTOP): socket buffers, the outbox, the PTY ring and the
        // tty buffer fill up, and then the writer must block instead of the agent buffering.
        await h.Peer.SuspendAsync();
        try
        {
            var stalledFor = 0;
            long previous = -1;
            var deadline = DateTime.UtcNow + Waits.Event;
            while (stalledFor < 5)
            {
                Assert.True(DateTime.UtcNow < deadline, "the writer never stalled");
                var written = ProcFs.BytesWritten(writer);
                Assert.True(written >= 0, $"tr ({writer}) ended before it stalled");
                stalledFor = written == previous ? stalledFor + 1 : 0;
                previous = written;
                await Task.Delay(200);
            }

            var rssKb = ProcFs.StatusKb(h.Agent.ProcessId, "VmRSS");
            var hwmKb = ProcFs.StatusKb(h.Agent.ProcessId, "VmHWM");
            output.WriteLine($"writer stalled after {previous / 1e6:F1} MB; agent VmRSS {rssKb / 1024.0:F1} MB, VmHWM {hwmKb / 1024.0:F1} MB");
            Assert.True(previous < Total);
            Assert.True(hwmKb < 150 * 1024, $"agent peak RSS {hwmKb} kB");
        }
        finally
        {
            await h.Peer.ResumeAsync();
        }

        await h.Peer.EmitAsync("shell_close", new { session = "s1" });
        await h.WaitForClosedAsync("s1");
    }

    [Theory]
    [InlineData("utf8")]
    [InlineData("base64")]
    public async Task SmallMaxPayload_EveryFrameFits_EvenForControlCharacterFloods(string encoding)
    {
        const int Max = 4096;
        await using var h = await AgentShellHarness.StartAsync(
            "shell-small-" + encoding,
            c =>
            {
                AgentShellHarness.Section(c, "transport")["maxPayloadBytes"] = Max;
                AgentShellHarness.Section(c, "shell")["outputEncoding"] = encoding;
            },
            new PeerOptions { MaxHttpBufferSize = Max });
        await h.StartShellAsync("s1");

        // 100,000 \x01 (six bytes each once escaped), random bytes (invalid UTF-8, quotes,
        // backslashes, every control character), then a marker.
        await h.InputAsync("s1", "head -c 100000 /dev/zero | tr '\\0' '\\1'; head -c 300000 /dev/urandom; echo; echo end-$((6*7))\n");
        var all = new List<byte>();
        var text = new System.Text.StringBuilder();
        var next = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!text.ToString().Contains("end-42", StringComparison.Ordinal))
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, "no end marker");
            var r = await h.Peer.WaitForEventAsync("shell_output", left, null, next);
            next = r.Index + 1;
            var data = r.Payload.GetProperty("data").GetString()!;
            if (encoding == "base64")
            {
                var chunk = Convert.FromBase64String(data);
                all.AddRange(chunk);
                text.Append(System.Text.Encoding.Latin1.GetString(chunk));
            }
            else
            {
                text.Append(data);
            }
        }

        Assert.DoesNotContain(h.Peer.Records, r => r.Kind is "engine_close" or "disconnect");
        var outputs = h.Peer.Records.Where(r => r.Kind == "event" && r.Event == "shell_output").ToList();
        Assert.True(outputs.Count > 100, $"{outputs.Count} events");
        var ones = text.ToString().Count(c => c == '\u0001');
        Assert.True(ones >= 100_000, $"{ones} of 100000 \\x01 arrived");
        if (encoding == "utf8")
        {
            Assert.Contains('\uFFFD', text.ToString());
        }
    }

    [GeneratedRegex(@"in (?<reads>\d+) reads, (?<events>\d+) events")]
    private static partial Regex EndedPattern();
}
