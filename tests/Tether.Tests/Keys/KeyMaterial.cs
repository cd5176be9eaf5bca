using System.Buffers.Binary;
using System.Text;

namespace Tether.Tests.Keys;

/// <summary>Builds syntactically valid OpenSSH public key blobs for tests (random bytes, not real keys).</summary>
internal static class KeyMaterial
{
    public static string Ed25519(int seed, string? comment = null) =>
        Line("ssh-ed25519", Blob("ssh-ed25519", Bytes(seed, 32)), comment);

    public static string Rsa(int seed) =>
        Line("ssh-rsa", Blob("ssh-rsa", [0x01, 0x00, 0x01], [0x00, .. Bytes(seed, 256)]), null);

    public static string Ecdsa256(int seed) =>
        Line("ecdsa-sha2-nistp256", Blob("ecdsa-sha2-nistp256", Encoding.ASCII.GetBytes("nistp256"), [0x04, .. Bytes(seed, 64)]), null);

    public static string Blob(string type, params byte[][] fields)
    {
        var buffer = new List<byte>();
        foreach (var field in (byte[][])[Encoding.ASCII.GetBytes(type), .. fields])
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)field.Length);
            buffer.AddRange(length);
            buffer.AddRange(field);
        }

        return Convert.ToBase64String([.. buffer]);
    }

    public static byte[] Bytes(int seed, int count)
    {
        var random = new Random(seed);
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Line(string type, string blob, string? comment) =>
        comment is null ? $"{type} {blob}" : $"{type} {blob} {comment}";
}
