using System.Diagnostics;

namespace Federation.Gateway.Pipeline;

/// <summary>
/// Runs the stages in order over one <see cref="RequestContext"/> until one sets the response. The list is fixed when
/// the engine is built; a stage that needs to see the answer (a response cache storing it) is placed after the stage
/// that produces it, so stages never wrap each other and a request allocates nothing for the pipeline itself.
/// </summary>
public sealed class RequestPipeline(IEnumerable<IRequestStage> stages)
{
    private readonly IRequestStage[] _stages = [.. stages];

    public IReadOnlyList<IRequestStage> Stages => _stages;

    public async ValueTask<GatewayResult> RunAsync(RequestContext context)
    {
        foreach (var stage in _stages)
        {
            if (!stage.Applies(context))
            {
                continue;
            }

            using var activity = GatewayTelemetry.Source.StartActivity(stage.Name);
            try
            {
                await stage.InvokeAsync(context);
            }
            catch (Exception e) when (activity is not null)
            {
                activity.AddException(e);
                activity.SetStatus(ActivityStatusCode.Error);
                throw;
            }

            if (context.Response is { } response)
            {
                activity?.SetTag("graphql.response.status", response.StatusCode);
                return response;
            }
        }

        throw new InvalidOperationException($"No stage answered the request; the last stage ({_stages[^1].Name}) must set a response.");
    }
}
