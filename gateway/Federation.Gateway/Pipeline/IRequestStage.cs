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

    /// <summary>
    /// Whether the stage has anything to do for this request; one that has not is passed over without an activity, so
    /// a stage for some operations only (subscriptions) adds no empty span to every other request's trace.
    /// </summary>
    bool Applies(RequestContext context) => true;

    ValueTask InvokeAsync(RequestContext context);
}
