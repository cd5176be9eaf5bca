namespace Tether.Update;

/// <summary><c>&lt;stateDir&gt;/update/state.json</c>: what survives every update and rollback.</summary>
internal sealed class UpdateStateRecord
{
    /// <summary>The highest version ever installed here (anti-rollback); null before the first update.</summary>
    public string? HighestVersion { get; set; }

    /// <summary>Versions that were rolled back: never installed again by the dashboard.</summary>
    public List<string> RolledBack { get; set; } = [];
}

/// <summary><c>&lt;stateDir&gt;/update/probation.json</c>: a new binary that has not yet reached <c>hello_ack</c>.</summary>
internal sealed class ProbationRecord
{
    public required string From { get; init; }

    public required string To { get; init; }

    /// <summary>Set by the new binary's first start; a second start that finds it set means the first one died.</summary>
    public bool Started { get; set; }
}

/// <summary><c>&lt;stateDir&gt;/update/report.json</c>: an <c>agent_update_result</c> to post once connected.</summary>
internal sealed class UpdateReport
{
    public bool Ok { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    public string? Error { get; init; }
}
