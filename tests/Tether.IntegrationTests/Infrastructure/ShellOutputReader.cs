using System.Text;
using System.Text.Json;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>The output of one session as text, read from the peer's records in order.</summary>
internal sealed class ShellOutputReader
{
    private readonly AgentShellHarness _harness;
    private readonly StringBuilder _text = new();
    private int _nextIndex;
    private int _mark;

    public ShellOutputReader(AgentShellHarness harness, string session)
    {
        _harness = harness;
        Session = session;
    }

    public string Session { get; }

    public int Events { get; private set; }

    /// <summary>Everything received so far.</summary>
    public string Text => _text.ToString();

    /// <summary>Text after the last <see cref="Mark"/>.</summary>
    public string SinceMark => _text.ToString(_mark, _text.Length - _mark);

    /// <summary>Later waits look only at output that arrives from now on.</summary>
    public void Mark()
    {
        Poll();
        _mark = _text.Length;
    }

    public async Task<string> WaitForAsync(string expect, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Poll();
            var since = SinceMark;
            if (since.Contains(expect, StringComparison.Ordinal))
            {
                return since;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"'{expect}' not in the output of {Session}; got: {Tail(since)}. {_harness.Peer.Describe()}");
            }

            try
            {
                await _harness.Peer.WaitForEventAsync("shell_output", left, IsMine, _nextIndex);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private static string Tail(string s) => s.Length > 600 ? "…" + s[^600..] : s;

    private bool IsMine(PeerRecord r) =>
        r.Payload.ValueKind == JsonValueKind.Object && r.Payload.TryGetProperty("session", out var s) && s.GetString() == Session;

    private void Poll()
    {
        var records = _harness.Peer.Records;
        for (var i = _nextIndex; i < records.Count; i++)
        {
            var r = records[i];
            if (r.Kind == "event" && r.Event == "shell_output" && IsMine(r))
            {
                _text.Append(r.Payload.GetProperty("data").GetString());
                Events++;
            }
        }

        _nextIndex = records.Count;
    }
}
