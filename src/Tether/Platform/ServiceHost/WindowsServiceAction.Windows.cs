namespace Tether.Platform.ServiceHost;

/// <summary>What the agent does with a control code from the Service Control Manager.</summary>
internal enum WindowsServiceAction
{
    /// <summary>Report STOP_PENDING and run the graceful shutdown SIGTERM runs (docs/protocol.md §7).</summary>
    Stop,

    /// <summary>Nothing: since Windows Vista the SCM knows the status and only asks whether the handler answers.</summary>
    Interrogate,

    /// <summary>A control the agent did not ask for (it accepts only stop and shutdown): ERROR_CALL_NOT_IMPLEMENTED.</summary>
    NotImplemented,
}
