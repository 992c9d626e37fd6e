namespace Federation.Gateway.Pipeline;

/// <summary>
/// One step of the request path. A stage reads what earlier stages put on the <see cref="RequestContext"/>, adds its
/// own part, or answers early by setting <see cref="RequestContext.Response"/> (errors and a status), which ends the
/// request. Stages are created once per engine and shared by all requests: per-request state belongs on the context.
/// </summary>
public interface IRequestStage
{
    /// <summary>The name of the <see cref="System.Diagnostics.Activity"/> the pipeline opens around the stage.</summary>
    string Name { get; }

    ValueTask InvokeAsync(RequestContext context);
}
