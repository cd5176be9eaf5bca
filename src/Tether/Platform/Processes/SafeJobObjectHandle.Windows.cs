using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Processes;

/// <summary>
/// A job object handle. Our jobs are created with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE and the
/// handle is never inherited or duplicated, so releasing it ends every process in the job.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class SafeJobObjectHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeJobObjectHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => Interop.Kernel32.CloseHandle(handle);
}
