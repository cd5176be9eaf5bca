namespace Tether.Platform.Memory;

/// <summary>What one release of start-up pages did, as the kernel counts it.</summary>
/// <param name="AdvisedBytes">Bytes of read-only file mappings advised.</param>
/// <param name="ResidentFileKiBBefore">File-backed resident memory just before (RssFile), KiB; -1 when unknown.</param>
/// <param name="ResidentFileKiBAfter">The same just after.</param>
internal readonly record struct StartupRelease(long AdvisedBytes, long ResidentFileKiBBefore, long ResidentFileKiBAfter);
