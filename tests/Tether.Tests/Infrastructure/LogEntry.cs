using Microsoft.Extensions.Logging;

namespace Tether.Tests.Infrastructure;

/// <summary>One entry a <see cref="CapturingLogger{T}"/> kept.</summary>
internal sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);
