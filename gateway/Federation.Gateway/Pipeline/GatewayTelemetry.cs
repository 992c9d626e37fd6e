using System.Diagnostics;

namespace Federation.Gateway.Pipeline;

/// <summary>The engine's one <see cref="ActivitySource"/>: a request activity with one child per pipeline stage.</summary>
public static class GatewayTelemetry
{
    public const string SourceName = "Federation.Gateway";

    public static readonly ActivitySource Source = new(SourceName);
}
