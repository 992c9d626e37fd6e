using System.Text.Json.Nodes;
using Federation.Gateway.Authorization;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Authorization;

/// <summary>
/// @authenticated and @requiresScopes on the fixture supergraph, enforced by the engine against the in-process
/// subgraphs: anonymous, shopper and admin callers, null plus one error per response path, and the reject mode.
/// </summary>
public sealed class AuthorizationTests : IDisposable
{
    private static readonly CallerIdentity Shopper = CallerIdentity.Create("1", ["shopper"]);
    private static readonly CallerIdentity Admin = CallerIdentity.Create("2", ["shopper", "admin"]);

    private readonly GatewayFixture _fixture = new();
    private readonly GatewayEngine _engine;
    private readonly GatewayEngine _rejecting;

    public AuthorizationTests()
    {
        var sdl = ProtectedSupergraph(_fixture.SupergraphSdl);
        _engine = _fixture.CreateEngine(sdl);
        var options = _fixture.Options();
        options.RejectUnauthorized = true;
        _rejecting = new GatewayEngine(sdl, options);
    }

    public void Dispose()
    {
        _engine.Dispose();
        _rejecting.Dispose();
        _fixture.Dispose();
    }

    /// <summary>The fixture supergraph with the requirements Apollo composition writes for subgraph directives.</summary>
    public static string ProtectedSupergraph(string sdl) => sdl
        .Replace(
            "@link(url: \"https://specs.apollo.dev/inaccessible/v0.2\", for: SECURITY)",
            "@link(url: \"https://specs.apollo.dev/inaccessible/v0.2\", for: SECURITY)\n  @link(url: \"https://specs.apollo.dev/authenticated/v0.1\", for: SECURITY)\n  @link(url: \"https://specs.apollo.dev/requiresScopes/v0.1\", for: SECURITY)",
            StringComparison.Ordinal)
        .Replace(
            "directive @inaccessible",
            "directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM\n\ndirective @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM\n\nscalar requiresScopes__Scope\n\ndirective @inaccessible",
            StringComparison.Ordinal)
        .Replace("  email: String! @join__field(graph: ACCOUNTS)", "  email: String! @join__field(graph: ACCOUNTS) @authenticated", StringComparison.Ordinal)
        .Replace("  users: [User!]! @join__field(graph: ACCOUNTS)", "  users: [User!]! @join__field(graph: ACCOUNTS) @requiresScopes(scopes: [[\"admin\"]])", StringComparison.Ordinal)
        .Replace("  warranty: String @join__field(graph: REVIEWS)", "  warranty: String @join__field(graph: REVIEWS) @authenticated", StringComparison.Ordinal)
        .Replace(
            "  addProduct(name: String!, price: Int!): Product! @join__field(graph: PRODUCTS)",
            "  addProduct(name: String!, price: Int!): Product! @join__field(graph: PRODUCTS) @requiresScopes(scopes: [[\"admin\"], [\"catalog:write\"]])",
            StringComparison.Ordinal)
        // Two subgraphs' requirements on one field: both must hold.
        .Replace(
            "  shippingEstimate: Int @join__field(graph: INVENTORY, requires: \"price weight\")",
            "  shippingEstimate: Int @join__field(graph: INVENTORY, requires: \"price weight\") @requiresScopes(scopes: [[\"shipping\"]]) @requiresScopes(scopes: [[\"admin\"]])",
            StringComparison.Ordinal);

    [Fact]
    public async Task Execute_Should_AnswerNullWithErrorAtPath_When_AnonymousSelectsAuthenticatedField()
    {
        // act
        var body = await ExecuteAsync(_engine, "{ me { name email } topProducts(first: 1) { name } }", caller: null);

        // assert (email is non-null: its null reaches the nullable me, as any field error would)
        Assert.Equal("""[{"message":"Unauthorized field or type","path":["me","email"],"extensions":{"code":"UNAUTHORIZED_FIELD_OR_TYPE"}}]""", body["errors"]!.ToJsonString());
        Assert.Null(body["data"]!["me"]);
        Assert.Single(body["data"]!["topProducts"]!.AsArray());
    }

    [Fact]
    public async Task Execute_Should_AnswerField_When_ShopperSelectsAuthenticatedField()
    {
        // act
        var body = await ExecuteAsync(_engine, "{ me { name email } }", Shopper);

        // assert
        Assert.Null(body["errors"]);
        Assert.NotNull(body["data"]!["me"]!["email"]);
    }

    [Fact]
    public async Task Execute_Should_ReportEveryResponsePath_When_RefusedFieldIsInList()
    {
        // act
        var body = await ExecuteAsync(_engine, "{ topProducts { name warranty } }", caller: null, includePlan: true);

        // assert
        var products = body["data"]!["topProducts"]!.AsArray();
        Assert.True(products.Count > 1);
        Assert.All(products, p => Assert.Null(p!["warranty"]));
        Assert.Equal(
            [.. products.Select((_, i) => $"[\"topProducts\",{i},\"warranty\"]")],
            body["errors"]!.AsArray().Select(e => e!["path"]!.ToJsonString()));
        Assert.Single(body["extensions"]!["queryPlan"]!["fetches"]!.AsArray());
    }

    [Fact]
    public async Task Execute_Should_ReportEveryResponsePath_When_RefusedNonNullFieldInListNullsItsParents()
    {
        // arrange
        const string query = "{ topProducts { reviews { author { email } } } }";
        var visible = await ExecuteAsync(_engine, query, Shopper);
        var expected = visible["data"]!["topProducts"]!.AsArray()
            .SelectMany((product, i) => product!["reviews"]!.AsArray().Select((_, j) => $"[\"topProducts\",{i},\"reviews\",{j},\"author\",\"email\"]"))
            .ToList();

        // act
        var body = await ExecuteAsync(_engine, query, caller: null);

        // assert (email, author, the review, reviews, the product and topProducts are all non-null: data becomes null)
        Assert.True(expected.Count > 2);
        Assert.Null(body["data"]);
        Assert.Equal(expected, body["errors"]!.AsArray().Select(e => e!["path"]!.ToJsonString()));
        Assert.All(body["errors"]!.AsArray(), e => Assert.Equal("UNAUTHORIZED_FIELD_OR_TYPE", e!["extensions"]!["code"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("shopper", false)]
    [InlineData("shopper admin", true)]
    public async Task Execute_Should_AllowAdminScopeOnly_When_FieldRequiresAdmin(string? scopes, bool allowed)
    {
        // arrange
        var caller = scopes is null ? null : CallerIdentity.Create("3", scopes.Split(' '));

        // act
        var body = await ExecuteAsync(_engine, "{ users { id } }", caller);

        // assert
        Assert.Equal(allowed, body["data"] is JsonObject { Count: > 0 } data && data["users"] is JsonArray);
        Assert.Equal(allowed ? null : """[{"message":"Unauthorized field or type","path":["users"],"extensions":{"code":"UNAUTHORIZED_FIELD_OR_TYPE"}}]""", body["errors"]?.ToJsonString());
    }

    [Theory]
    [InlineData("catalog:write", true)]
    [InlineData("admin", true)]
    [InlineData("shopper", false)]
    public async Task Execute_Should_AcceptAnyScopeSet_When_RequiresScopesListsAlternatives(string scope, bool allowed)
    {
        // act
        var body = await ExecuteAsync(_engine, """mutation { addProduct(name: "Lamp", price: 10) { name } }""", CallerIdentity.Create("4", [scope]));

        // assert
        Assert.Equal(allowed, body["errors"] is null);
    }

    [Theory]
    [InlineData("shipping", false)]
    [InlineData("admin", false)]
    [InlineData("shipping admin", true)]
    public async Task Execute_Should_RequireEverySubgraphsScopes_When_SeveralRequirementsMeetOnField(string scopes, bool allowed)
    {
        // act
        var body = await ExecuteAsync(_engine, "{ topProducts(first: 1) { shippingEstimate } }", CallerIdentity.Create("5", scopes.Split(' ')));

        // assert
        Assert.Equal(allowed, body["errors"] is null);
        Assert.True(body["data"]!["topProducts"]![0]!.AsObject().ContainsKey("shippingEstimate"));
    }

    [Fact]
    public async Task Execute_Should_ReportEveryRefusedSibling_When_RefusedNonNullFieldNullsParent()
    {
        // act
        var body = await ExecuteAsync(_engine, "{ users { id } everyone: users { name } }", Shopper);

        // assert
        Assert.Null(body["data"]);
        Assert.Equal(["[\"users\"]", "[\"everyone\"]"], body["errors"]!.AsArray().Select(e => e!["path"]!.ToJsonString()));
    }

    [Fact]
    public async Task Execute_Should_RefuseWholeRequestWith403_When_RejectUnauthorizedIsOn()
    {
        // act
        var result = await _rejecting.ExecuteAsync(new GatewayRequest("{ me { name email } topProducts { name warranty } }", null, null));

        // assert
        Assert.Equal(403, result.StatusCode);
        Assert.Null(result.Body["data"]);
        Assert.Equal(
            ["[\"me\",\"email\"]", "[\"topProducts\",\"warranty\"]"],
            result.Body["errors"]!.AsArray().Select(e => e!["path"]!.ToJsonString()));
    }

    [Fact]
    public async Task Execute_Should_RefuseFragmentSpreadField_When_SelectedThroughNamedFragment()
    {
        // act
        var body = await ExecuteAsync(_engine, "query { me { ...Private } } fragment Private on User { id email }", caller: null);

        // assert
        Assert.Equal("[\"me\",\"email\"]", body["errors"]![0]!["path"]!.ToJsonString());
    }

    private static async Task<JsonObject> ExecuteAsync(GatewayEngine engine, string query, CallerIdentity? caller, bool includePlan = false) =>
        (await engine.ExecuteAsync(new GatewayRequest(query, null, null, includePlan, Caller: caller))).Body;
}
