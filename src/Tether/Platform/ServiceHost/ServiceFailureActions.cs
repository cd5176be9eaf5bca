using System.Buffers.Binary;

namespace Tether.Platform.ServiceHost;

/// <summary>The Service Control Manager's <c>FailureActions</c> registry value, read back.</summary>
internal static class ServiceFailureActions
{
    /// <summary>
    /// The <c>FailureActions</c> value: SERVICE_FAILURE_ACTIONS as five 32-bit fields (reset period,
    /// reboot message, command, action count, actions) followed by the actions (type, delay in ms).
    /// </summary>
    public static (int? ResetPeriodSeconds, IReadOnlyList<(int Type, int DelayMs)> Actions) Parse(byte[]? value)
    {
        if (value is null || value.Length < 20)
        {
            return (null, []);
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(12));
        var actions = new List<(int, int)>();
        for (int i = 0; i < count && 20 + (i * 8) + 8 <= value.Length; i++)
        {
            actions.Add((BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(20 + (i * 8))), BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(24 + (i * 8)))));
        }

        return (BinaryPrimitives.ReadInt32LittleEndian(value), actions);
    }
}
