using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Authorization;
using Federation.Testing;

namespace Federation.Gateway.Tests.Authorization;

/// <summary>
/// The supergraph <c>@theguild/federation-composition</c> writes when two subgraphs guard one <c>@shareable</c> field with
/// different <c>@requiresScopes</c> (schema/test, the golden file its composition test checks): composition merges
/// <c>[["shipping"]]</c> and <c>[["admin"], ["ops"]]</c> into every pair, and the gateway must hold the caller to both.
/// </summary>
public sealed class ComposedScopesTests : IDisposable
{
    private const string Query = """{ product(id: "1") { id weightGrams } }""";

    private readonly List<string> _asked = [];
    private readonly GatewayEngine _engine;

    public ComposedScopesTests()
    {
        var sdl = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schema", "test", "expected", "scopes.supergraph.graphql"));
        _engine = new GatewayEngine(sdl, new GatewayOptions { HandlerFactory = name => new Answering(name, _asked) });
    }

    public void Dispose() => _engine.Dispose();

    [Theory]
    [InlineData("", false)]
    [InlineData("shipping", false)]
    [InlineData("admin", false)]
    [InlineData("ops", false)]
    [InlineData("admin ops", false)]
    [InlineData("shipping admin", true)]
    [InlineData("ops shipping", true)]
    public async Task Execute_Should_RequireBothSubgraphsScopes_When_CompositionMergedThemOnAShareableField(string scopes, bool allowed)
    {
        // arrange
        var caller = CallerIdentity.Create("7", scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        // act
        var body = (await _engine.ExecuteAsync(new GatewayRequest(Query, null, null, Caller: caller))).Body;

        // assert
        var product = body["data"]!["product"]!;
        Assert.Equal("1", product["id"]!.GetValue<string>());
        if (allowed)
        {
            Assert.Null(body["errors"]);
            Assert.Equal(250, product["weightGrams"]!.GetValue<int>());
        }
        else
        {
            Assert.Null(product["weightGrams"]);
            Assert.Equal("""[{"message":"Unauthorized field or type","path":["product","weightGrams"],"extensions":{"code":"UNAUTHORIZED_FIELD_OR_TYPE"}}]""", body["errors"]!.ToJsonString());
        }

        Assert.Equal(["catalog"], _asked);
    }

    /// <summary>Catalog's answer to whatever the plan asks it; the refused field is simply not in what it was asked.</summary>
    private sealed class Answering(string subgraph, List<string> asked) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!["query"]!.GetValue<string>();
            lock (asked)
            {
                asked.Add(subgraph);
            }

            var product = new JsonObject { ["id"] = "1" };
            if (query.Contains("weightGrams", StringComparison.Ordinal))
            {
                product["weightGrams"] = 250;
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(new JsonObject { ["data"] = new JsonObject { ["product"] = product } }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
        }
    }
}
