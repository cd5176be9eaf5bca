using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Agent;
using Tether.Commands;
using Tether.Config;
using Tether.Protocol;
using Tether.Transport;

namespace Tether.Cli;

/// <summary>
/// <c>tether check</c> (docs/protocol.md §8): each step an operator would otherwise debug by hand, with
/// pass/fail and a reason — config, name resolution, TCP, TLS, clock skew, the signed handshake.
/// Exit 0 when every step passed, 1 otherwise, 2 for a configuration error.
/// </summary>
internal static class CheckCommand
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The resolve line's arrow. On Windows, output that is redirected (or a console on a legacy
    /// code page) is written in the ANSI/OEM code page, where "→" becomes "?": print ASCII there.
    /// </summary>
    private static string ResolveArrow =>
        OperatingSystem.IsWindows() && (Console.IsOutputRedirected || Console.OutputEncoding.CodePage != 65001) ? "->" : "→";

    /// <summary>The server checks <c>ts</c> against its clock; more than this is worth fixing before it bites.</summary>
    private static readonly TimeSpan SkewWarning = TimeSpan.FromSeconds(30);

    public static async Task<int> ExecuteAsync(string? configPath, bool? insecure, TextWriter output, CancellationToken ct)
    {
        var load = ConfigLoader.Load(ConfigSources.FromProcess(configPath, insecure, null));
        if (!load.Succeeded)
        {
            await Report(output, false, "config", load.Error!);
            return 2;
        }

        AgentConfig config = load.Config!;
        if (!CommandPolicy.TryCreate(config.Admin.AllowedCommands, out var policy, out string? policyError))
        {
            await Report(output, false, "config", "config: " + policyError);
            return 2;
        }

        // What the agent warns about at start (docs/protocol.md §7) is shown here too.
        List<string> warnings = [.. load.Warnings];
        if (config.Admin.EnableShell)
        {
            warnings.Add("admin.enableShell is true: the dashboard can open a terminal on this machine; set \"admin\": {\"enableShell\": false} in the config file to turn it off");
        }

        if (policy.AllowsEverything)
        {
            warnings.Add("admin.allowedCommands is \"*\": every command the dashboard sends may run");
        }

        warnings.AddRange(policy.Warnings);
        bool ok = true;
        await Report(output, true, "config", $"{config.ConfigPath}: client {config.ClientId}, server {config.ServerUrlForLog}" + (warnings.Count > 0 ? $" ({warnings.Count} warnings)" : string.Empty));
        foreach (string warning in warnings)
        {
            await output.WriteLineAsync("       warning: " + warning);
        }

        Uri? proxy = config.Proxy.ProxyFor(config.ServerUri);
        Uri firstHop = proxy ?? config.ServerUri;
        string host = HostNames.Name(firstHop);
        if (proxy is not null)
        {
            await output.WriteLineAsync("       via proxy " + ProxySettings.Redact(proxy));
        }

        IPAddress[] addresses;
        try
        {
            using var dnsCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            dnsCts.CancelAfter(StepTimeout);
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, dnsCts.Token);
            await Report(output, true, "resolve", $"{host} {ResolveArrow} {string.Join(", ", addresses.Select(a => a.ToString()))}");
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            await Report(output, false, "resolve", $"{host} does not resolve: {ex.Message}");
            return 1;
        }

        using (var tcp = new TcpClient(addresses[0].AddressFamily))
        {
            using var tcpCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            tcpCts.CancelAfter(StepTimeout);
            try
            {
                await tcp.ConnectAsync(addresses, firstHop.Port, tcpCts.Token);
                await Report(output, true, "tcp", $"{host}:{firstHop.Port} accepts connections");
                if (proxy is null && config.UsesTls)
                {
                    ok &= await CheckTlsAsync(tcp.GetStream(), config, output, tcpCts.Token);
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
            {
                await Report(output, false, "tcp", $"{host}:{firstHop.Port}: {ex.Message}");
                return 1;
            }
        }

        ok &= await CheckClockAsync(config, output, ct);

        var connection = new AgentConnection(
            AgentHost.ToConnectionOptions(config),
            new EventDispatcher(NullLogger<EventDispatcher>.Instance),
            new Outbox(NullLogger<Outbox>.Instance),
            new EventFrameEncoder(config.Transport.Namespace),
            TimeProvider.System,
            new ReconnectBackoff(),
            NullLogger<AgentConnection>.Instance);
        var probe = await connection.ProbeAsync(TimeSpan.FromSeconds(5), ct);
        switch (probe.Outcome)
        {
            case HandshakeProbeOutcome.Acknowledged:
                await Report(output, true, "handshake", "signed handshake accepted, hello_ack received");
                break;
            case HandshakeProbeOutcome.ConnectedWithoutHelloAck:
                await Report(output, true, "handshake", "signed handshake accepted (no hello_ack within 5 s)");
                break;
            case HandshakeProbeOutcome.Refused:
                await Report(output, false, "handshake", $"the server refused the agent: {probe.Reason} ({Hint(probe.Reason)})");
                ok = false;
                break;
            default:
                await Report(output, false, "handshake", probe.Reason ?? "failed");
                ok = false;
                break;
        }

        return ok ? 0 : 1;
    }

    private static async Task<bool> CheckTlsAsync(NetworkStream stream, AgentConfig config, TextWriter output, CancellationToken ct)
    {
        SslPolicyErrors seen = SslPolicyErrors.None;
        string subject = "?";
        var policy = OutboundConnection.For(config).CertificateValidation;
        await using var ssl = new SslStream(stream, leaveInnerStreamOpen: true, (sender, cert, chain, errors) =>
        {
            seen = errors | TlsPolicy.ChainErrors(chain);
            subject = cert?.Subject ?? "?";
            return policy(sender, cert, chain, errors);
        });
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = config.ServerUri.IdnHost }, ct);
            string note = config.Transport.SkipTlsVerify ? " — verification is OFF (insecure)" : seen == SslPolicyErrors.None ? string.Empty : " (trusted through caFile)";
            await Report(output, true, "tls", $"{ssl.SslProtocol}, certificate {subject}{note}");
            return true;
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException or System.ComponentModel.Win32Exception)
        {
            string reason = seen.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? "the certificate does not name " + config.ServerUri.IdnHost
                : seen.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) ? "untrusted certificate (add its CA with transport.caFile)"
                : ex.Message;
            await Report(output, false, "tls", $"{reason}; certificate {subject}");
            return false;
        }
    }

    private static async Task<bool> CheckClockAsync(AgentConfig config, TextWriter output, CancellationToken ct)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(ct);
        step.CancelAfter(StepTimeout);
        try
        {
            var response = await new HttpGetClient(OutboundConnection.For(config)).GetAsync(config.ServerUri, 64 * 1024, step.Token);
            if (!DateTimeOffset.TryParseExact(response.Head["Date"], "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var serverTime))
            {
                await Report(output, true, "clock", "the server sends no Date header; skew not measured");
                return true;
            }

            TimeSpan skew = DateTimeOffset.UtcNow - serverTime;
            string text = string.Create(CultureInfo.InvariantCulture, $"agent clock is {Math.Abs(skew.TotalSeconds):0} s {(skew >= TimeSpan.Zero ? "ahead of" : "behind")} the server");
            bool fine = skew.Duration() <= SkewWarning;
            await Report(output, fine, "clock", fine ? text : text + " (clock skew: signed handshakes may be refused as stale; fix NTP)");
            return fine;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            await Report(output, true, "clock", "could not read the server's time: " + ex.Message);
            return true;
        }
    }

    private static string Hint(string? serverMessage)
    {
        string m = serverMessage?.ToLowerInvariant() ?? string.Empty;
        if (m.Contains("stale", StringComparison.Ordinal) || m.Contains("skew", StringComparison.Ordinal) || m.Contains("timestamp", StringComparison.Ordinal) || m.Contains("clock", StringComparison.Ordinal))
        {
            return "clock skew: check this machine's time";
        }

        if (m.Contains("sig", StringComparison.Ordinal) || m.Contains("token", StringComparison.Ordinal) || m.Contains("auth", StringComparison.Ordinal))
        {
            return "bad authToken or clientId";
        }

        return "see the server's log";
    }

    private static Task Report(TextWriter output, bool pass, string step, string detail) =>
        output.WriteLineAsync($"{(pass ? "PASS" : "FAIL")}  {step,-9} {detail}");
}
