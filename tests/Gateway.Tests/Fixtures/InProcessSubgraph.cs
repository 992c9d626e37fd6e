using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Gateway.Tests.Fixtures;

/// <summary>A graphql-dotnet federation subgraph answered in process: the gateway's HTTP client talks to it through this handler.</summary>
public sealed class InProcessSubgraph<TSchema> : HttpMessageHandler, ISubgraphFixture
    where TSchema : class, ISchema
{
    private readonly ServiceProvider _services;
    private readonly IDocumentExecuter<TSchema> _executer;
    private readonly IGraphQLTextSerializer _serializer;

    public InProcessSubgraph()
    {
        var collection = new ServiceCollection();
        collection.AddGraphQL(b => b
            .AddSchema<TSchema>()
            .AddGraphTypes(typeof(InProcessSubgraph<>).Assembly)
            .AddFederation("2.3")
            .AddSystemTextJson()
            .AddErrorInfoProvider(o => o.ExposeCode = true));
        _services = collection.BuildServiceProvider();
        _executer = _services.GetRequiredService<IDocumentExecuter<TSchema>>();
        _serializer = _services.GetRequiredService<IGraphQLTextSerializer>();
    }

    /// <summary>When set, every request fails at the transport level, as if the subgraph were not running.</summary>
    public bool Down { get; set; }

    /// <summary>How many of the next requests fail at the transport level before the subgraph answers again.</summary>
    public int TransientFailures { get; set; }

    /// <summary>The <c>Cache-Control</c> every answer carries, as a kit subgraph computes it from its cache hints; none when null.</summary>
    public string? CacheControl { get; set; }

    public ConcurrentQueue<string> Queries { get; } = new();

    public async Task<string> ExecuteAsync(string query, CancellationToken cancellationToken = default)
    {
        var result = await _executer.ExecuteAsync(new ExecutionOptions { Query = query, RequestServices = _services, CancellationToken = cancellationToken });
        return _serializer.Serialize(result);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Down)
        {
            throw new HttpRequestException("Connection refused (fixture subgraph is down)");
        }

        if (TransientFailures > 0)
        {
            TransientFailures--;
            throw new HttpRequestException("Connection reset (injected transient failure)");
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(await HandleAsync(await request.Content!.ReadAsStringAsync(cancellationToken), cancellationToken), Encoding.UTF8, "application/json"),
        };
        if (CacheControl is { } cacheControl)
        {
            response.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        }

        return response;
    }

    /// <summary>Answers one GraphQL-over-HTTP request body; used directly and behind a real Kestrel endpoint.</summary>
    public async Task<string> HandleAsync(string requestBody, CancellationToken cancellationToken = default)
    {
        var body = JsonNode.Parse(requestBody)!;
        var query = body["query"]!.GetValue<string>();
        Queries.Enqueue(query);
        var result = await _executer.ExecuteAsync(new ExecutionOptions
        {
            Query = query,
            Variables = body["variables"] is JsonObject variables ? _serializer.Deserialize<Inputs>(variables.ToJsonString()) : null,
            RequestServices = _services,
            CancellationToken = cancellationToken,
        });
        return _serializer.Serialize(result);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _services.Dispose();
        }

        base.Dispose(disposing);
    }
}

public interface ISubgraphFixture
{
    bool Down { get; set; }

    int TransientFailures { get; set; }

    string? CacheControl { get; set; }

    ConcurrentQueue<string> Queries { get; }

    Task<string> ExecuteAsync(string query, CancellationToken cancellationToken = default);

    Task<string> HandleAsync(string requestBody, CancellationToken cancellationToken = default);
}
