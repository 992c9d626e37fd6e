using System.Text.Json.Nodes;
using Federation.Gateway.Host;
using Federation.Gateway.Schema;
using Federation.Gateway.Tests.Fixtures;
using Federation.Testing;
using Snapshooter.Xunit;

namespace Federation.Gateway.Tests.Introspection;

/// <summary>
/// Introspection per the current specification plus the draft's input value deprecation, and <c>@oneOf</c>'s input
/// rules, at our gateway: on deprecated arguments and input fields composed from subgraph SDL, and against Apollo
/// Gateway with every option of graphql-js's <c>getIntrospectionQuery</c>.
/// </summary>
public sealed class IntrospectionTests(ComposedIntrospectionFixture fixture) : IClassFixture<ComposedIntrospectionFixture>
{
    [Fact]
    public void Composition_Should_CarryDeprecatedArgumentsAndInputFields_When_SubgraphsDeprecateThem()
    {
        // act
        var api = Supergraph.Parse(fixture.SupergraphSdl).Api.Sdl;

        // assert
        foreach (var sdl in new[] { fixture.ApiSdl, api })
        {
            Assert.Contains("sku: String @deprecated(reason: \"Use `id`.\")", sdl, StringComparison.Ordinal);
            Assert.Contains("limit: Int @deprecated(reason: \"Use `first`.\")", sdl, StringComparison.Ordinal);
            Assert.Contains("category: String @deprecated(reason: \"Use `categories`.\")", sdl, StringComparison.Ordinal);
            Assert.Contains("notify: Boolean = true @deprecated(reason: \"Notifications are always sent.\")", sdl, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Introspection_Should_HideDeprecatedInputValuesUnlessAsked_When_ArgumentsAndInputFieldsAreDeprecated()
    {
        // arrange
        const string query = """
            {
              product: __type(name: "Query") { fields { name args { name } all: args(includeDeprecated: true) { name isDeprecated deprecationReason } } }
              filter: __type(name: "SearchFilter") { inputFields { name } all: inputFields(includeDeprecated: true) { name isDeprecated deprecationReason defaultValue } }
              reviews: __type(name: "Product") { fields(includeDeprecated: true) { name isDeprecated args(includeDeprecated: true) { name isDeprecated deprecationReason defaultValue } } }
            }
            """;

        // act
        var result = await fixture.ExecuteAsync(query);

        // assert
        Assert.Equal(200, result.StatusCode);
        result.Body.ToSnapshot().MatchSnapshot();
    }

    [Fact]
    public async Task Introspection_Should_AnswerSpecifiedByUrlOneOfAndRepeatable_When_SchemaUsesThem()
    {
        // arrange
        const string query = """
            {
              url: __type(name: "URL") { kind description specifiedByURL }
              json: __type(name: "JSON") { description specifiedByURL }
              string: __type(name: "String") { description specifiedByURL }
              by: __type(name: "ProductBy") { isOneOf description }
              filter: __type(name: "SearchFilter") { isOneOf }
              product: __type(name: "Product") { isOneOf }
              __schema { description directives { name description isRepeatable locations args(includeDeprecated: true) { name description type { kind name ofType { name } } defaultValue isDeprecated } } }
            }
            """;

        // act
        var result = await fixture.ExecuteAsync(query);

        // assert
        Assert.Equal(200, result.StatusCode);
        result.Body.ToSnapshot().MatchSnapshot();
    }

    [Theory]
    [InlineData("""{ search(filter: {}, by: { id: "1", sku: "a" }) { id } }""")]
    [InlineData("""{ search(filter: {}, by: { id: null }) { id } }""")]
    [InlineData("""{ search(filter: {}, by: {}) { id } }""")]
    [InlineData("""query($id: ID) { search(filter: {}, by: { id: $id }) { id } }""")]
    public async Task OneOf_Should_FailValidation_When_LiteralHasNotExactlyOneNonNullField(string query)
    {
        // act
        var result = await fixture.ExecuteAsync(query);

        // assert
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", result.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Null(result.Body["data"]);
    }

    [Theory]
    [InlineData("""{ "by": { "id": "1", "sku": "a" } }""")]
    [InlineData("""{ "by": { "id": null } }""")]
    [InlineData("""{ "by": {} }""")]
    public async Task OneOf_Should_RejectVariable_When_ValueHasNotExactlyOneNonNullField(string variables)
    {
        // act
        var result = await fixture.ExecuteAsync("query($by: ProductBy) { search(filter: {}, by: $by) { id } }", JsonNode.Parse(variables)!.AsObject());

        // assert
        Assert.Equal(400, result.StatusCode);
        var error = result.Body["errors"]![0]!;
        Assert.Equal("BAD_USER_INPUT", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("OneOf", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneOf_Should_ForwardTheOneField_When_LiteralAndVariableNameExactlyOne()
    {
        // arrange
        const string query = """
            query($by: ProductBy, $sku: String!) {
              a: search(filter: {}, by: $by) { id }
              b: search(filter: {}, by: { sku: $sku }) { id }
            }
            """;

        // act
        var result = await fixture.ExecuteAsync(query, new JsonObject { ["by"] = new JsonObject { ["id"] = "1" }, ["sku"] = "S-1" });

        // assert
        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.Body["errors"]);
        var sent = fixture.SubgraphRequests.Last(r => r["query"]!.GetValue<string>().Contains("sku", StringComparison.Ordinal));
        Assert.Contains("by:{sku:$sku}", sent["query"]!.GetValue<string>().Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("""{"id":"1"}""", sent["variables"]!["by"]!.ToJsonString());
    }

    [Fact]
    public async Task CustomScalar_Should_PassAnyValueToTheSubgraph_When_TheGatewayValidates()
    {
        // arrange
        const string query = """
            mutation($attributes: JSON) {
              literal: tagProduct(id: "1", tags: [], attributes: { color: "red", sizes: [38, 40], nested: { ok: true } }) { id }
              variable: tagProduct(id: "1", tags: [], attributes: $attributes) { id }
            }
            """;

        // act
        var result = await fixture.ExecuteAsync(query, new JsonObject { ["attributes"] = new JsonArray(1, "two", new JsonObject { ["three"] = 3 }) });

        // assert
        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.Body["errors"]);
    }

    /// <summary>
    /// Every combination of getIntrospectionQuery's six options, against Apollo Gateway on the same supergraph; the
    /// deliberate differences are listed (and applied) at the top of tests/clients/introspection.mjs.
    /// </summary>
    [Theory]
    [InlineData("fixture")]
    [InlineData("repository")]
    [InlineData("composed")]
    [InlineData("composed with a schema description")]
    public async Task Introspection_Should_EqualApolloGateway_When_EveryIntrospectionOptionIsCombined(string supergraph)
    {
        // arrange
        var directory = Directory.CreateTempSubdirectory("gateway-introspection-").FullName;
        try
        {
            var file = Path.Combine(directory, "supergraph.graphql");
            await File.WriteAllTextAsync(file, supergraph switch
            {
                "fixture" => await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "supergraph.graphql")),
                "repository" => await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "schema", "supergraph.graphql")),
                "composed" => fixture.SupergraphSdl,
                _ => "\"\"\"\nThe introspection fixture's supergraph: a shop and its reviews.\n\"\"\"\n" + fixture.SupergraphSdl,
            });
            var ours = GatewayHost.Create(["--supergraph", file, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"]);
            await ours.StartAsync();
            await using var stop = ours;
            await using var apollo = await ApolloGatewayProcess.StartAsync(file, new Dictionary<string, string>());

            // act
            var report = await ClientTools.RunAsync(
                "introspection.mjs",
                ["--ours", ours.Address() + "graphql", "--apollo", apollo.Http.BaseAddress!.ToString(), "--supergraph", file],
                TimeSpan.FromMinutes(2));
            await ours.StopAsync();

            // assert
            var combinations = report["combinations"]!.AsArray();
            Assert.Equal(64, combinations.Count);
            var failures = combinations
                .Where(c => c!["errors"]!.AsArray().Count > 0)
                .Select(c => c!["options"]!.ToJsonString() + "\n  " + string.Join("\n  ", c!["errors"]!.AsArray().Take(10)))
                .ToList();
            Assert.True(failures.Count == 0, $"{failures.Count} of 64 combinations differ:\n{string.Join("\n", failures.Take(5))}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
