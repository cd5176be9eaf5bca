using Tether.Protocol;

namespace Tether.Commands;

/// <summary>
/// Encodes <c>admin_result</c> frames no larger than <c>transport.maxPayloadBytes</c>
/// (docs/protocol.md §2, §4): when the encoded frame is too big, the longer of stdout and stderr (by
/// encoded size) is cut from its end until it fits, then the other, and as a last resort the
/// echoed command; any cut sets <c>summary.truncated</c>. Cuts fall on character boundaries and
/// the frame is measured after encoding (a NUL is six bytes once escaped). Thread-safe: stateless.
/// </summary>
internal static class AdminResultEncoder
{
    public const string EventName = "admin_result";

    // Each round cuts at least the measured excess (by estimate), so a handful of rounds fit
    // any frame; the bound only guards against an estimate that is persistently too low.
    private const int MaxRounds = 64;

    /// <summary>The frame, and the result as finally encoded (possibly cut).</summary>
    public static (byte[] Frame, AdminResult Sent) Encode(EventFrameEncoder encoder, AdminResult result, int maxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(result);
        var current = result;
        var frame = EncodeOnce(encoder, current);
        for (var round = 0; frame.Length > maxPayloadBytes; round++)
        {
            long excess = frame.Length - maxPayloadBytes;
            if (round >= MaxRounds)
            {
                excess = long.MaxValue; // give up estimating: drop the rest
            }

            current = Cut(current, excess);
            frame = EncodeOnce(encoder, current);
            if (current.Stdout.Length == 0 && current.Stderr.Length == 0 && current.Command.Length == 0 && frame.Length > maxPayloadBytes)
            {
                throw new InvalidOperationException("admin_result does not fit transport.maxPayloadBytes even without output");
            }
        }

        return (frame, current);
    }

    private static AdminResult Cut(AdminResult r, long excess)
    {
        var outLength = Utf8Text.JsonLength(r.Stdout);
        var errLength = Utf8Text.JsonLength(r.Stderr);
        if (outLength == 0 && errLength == 0)
        {
            return r with { Command = Utf8Text.CutEnd(r.Command, excess), Truncated = true };
        }

        return outLength >= errLength
            ? r with { Stdout = Utf8Text.CutEnd(r.Stdout, excess), Truncated = true }
            : r with { Stderr = Utf8Text.CutEnd(r.Stderr, excess), Truncated = true };
    }

    private static byte[] EncodeOnce(EventFrameEncoder encoder, AdminResult r) =>
        encoder.Encode(EventName, writer =>
        {
            if (r.Token is { } token)
            {
                writer.WritePropertyName("token");
                token.WriteTo(writer);
            }

            writer.WriteString("command", r.Command);
            writer.WriteStartObject("result");
            writer.WriteString("stdout", r.Stdout);
            writer.WriteString("stderr", r.Stderr);
            writer.WriteStartObject("summary");
            writer.WriteNumber("code", r.Code);
            if (r.Signal is not null)
            {
                writer.WriteString("signal", r.Signal);
            }

            writer.WriteNumber("durationMs", r.DurationMs);
            if (r.Truncated)
            {
                writer.WriteBoolean("truncated", true);
            }

            writer.WriteEndObject();
            if (r.Error is not null)
            {
                writer.WriteString("error", r.Error);
            }

            writer.WriteEndObject();
        });
}
