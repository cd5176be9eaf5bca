namespace Tether.Transport;

/// <summary>The answer to one GET: its head, and its body unless it was larger than the caller's cap.</summary>
/// <param name="Head">Status line and headers of the final response (after redirects).</param>
/// <param name="Body">The body; empty when <paramref name="TooLarge"/>.</param>
/// <param name="TooLarge">True when the body was larger than the cap; nothing past the cap was read.</param>
/// <param name="Url">The address that gave this answer.</param>
internal sealed record HttpGetResult(HttpResponseHead Head, byte[] Body, bool TooLarge, Uri Url);
