namespace Federation.Gateway.DemandControl;

public enum DemandControlMode
{
    /// <summary>Estimate and log; refuse nothing (to learn real costs before enforcing a maximum).</summary>
    Measure,

    /// <summary>Refuse an operation whose estimate is above the maximum, before any fetch.</summary>
    Enforce,
}

/// <summary>Apollo Router's demand control with its static estimate (config section <c>DemandControl</c>).</summary>
public sealed class DemandControlOptions
{
    /// <summary>
    /// Highest estimated cost run in <see cref="DemandControlMode.Enforce"/> mode (config <c>DemandControl:MaxCost</c>).
    /// The costliest real operation, the dashboard's order stats over the longest window (1,440 minutes), estimates 1,441;
    /// two nested pages of 100 (10,201) are refused.
    /// </summary>
    public const double DefaultMaxCost = 5_000;

    /// <summary>Config <c>DemandControl:Enabled</c>; on by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Config <c>DemandControl:Mode</c>: <c>enforce</c> (default) or <c>measure</c>.</summary>
    public DemandControlMode Mode { get; set; } = DemandControlMode.Enforce;

    /// <summary>Config <c>DemandControl:MaxCost</c>.</summary>
    public double MaxCost { get; set; } = DefaultMaxCost;

    /// <summary>
    /// Items assumed for a list field without <c>@listSize</c> (config <c>DemandControl:ListSize</c>); Apollo Router asks
    /// for the largest list the schema returns. Every unbounded list of this supergraph has its own <c>@listSize</c>.
    /// </summary>
    public int ListSize { get; set; } = 10;
}
