using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Testing.Http;
using Microsoft.AspNetCore.Builder;

namespace Federation.Gateway.Tests.Host;

/// <summary>The real host (<see cref="HostedGateway"/>): GraphQL over HTTP, persisted queries, reloads.</summary>
public sealed class HttpEndpointTests : IAsyncLifetime
{
    private readonly GatewayFixture _fixture = new();
    private HostedGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HostedGateway.StartAsync(_fixture, []);

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _fixture.Dispose();
    }

    [Fact]
    public async Task Post_Should_Return200WithData_When_RequestIsValid()
    {
        // act
        using var response = await PostAsync("""{"query":"{ me { name } }"}""");

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"data":{"me":{"name":"Ada Lovelace"}}}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"query": 42}""")]
    [InlineData("""{"query":"{ me { name } }","variables":[1]}""")]
    public async Task Post_Should_Return400WithGraphQLError_When_BodyIsMalformed(string body)
    {
        // act
        using var response = await PostAsync(body);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_REQUEST", json["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_Should_Return415_When_ContentTypeIsNotJson()
    {
        // act
        using var response = await _gateway.Client.PostAsync("/graphql", new StringContent("{ me { name } }", Encoding.UTF8, "text/plain"));

        // assert
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Post_Should_AnswerGraphQLResponseJson_When_ClientAcceptsIt()
    {
        // arrange
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"{ me { id } }"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));

        // act
        using var response = await _gateway.Client.SendAsync(request);

        // assert
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Get_Should_ExecuteQuery_When_QueryIsInParameters()
    {
        // act
        var body = await _gateway.Client.GetStringAsync("/graphql?query=" + Uri.EscapeDataString("query ($id: ID!) { user(id: $id) { name } }")
            + "&variables=" + Uri.EscapeDataString("""{"id":"u2"}"""));

        // assert
        Assert.Equal("""{"data":{"user":{"name":"Alan Turing"}}}""", body);
    }

    [Fact]
    public async Task Get_Should_Return405_When_OperationIsMutation()
    {
        // act
        using var response = await _gateway.Client.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { restock(upc: \"1\") }"));

        // assert
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Post_Should_OmitQueryPlan_When_AnonymousCallerSendsPlanHeader()
    {
        // arrange (the plan shows subgraph names and internal fields: admin callers only, AuthenticationTests)
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"{ topProducts { name inStock } }"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("GraphQL-Query-Plan", "true");

        // act
        using var response = await _gateway.Client.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(json["extensions"]);
        Assert.NotNull(json["data"]!["topProducts"]);
    }

    [Fact]
    public async Task Get_Should_RunPersistedQuery_When_HashWasRegisteredByPost()
    {
        // arrange
        const string query = "{ me { name } }";
        var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(query)));
        static JsonObject Persisted(string hash) => new() { ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = hash } };
        var extensions = Uri.EscapeDataString(Persisted(sha).ToJsonString());
        using var unknown = await _gateway.Client.GetAsync($"/graphql?extensions={Uri.EscapeDataString(Persisted(new string('0', 64)).ToJsonString())}");
        using var register = await PostAsync(new JsonObject { ["query"] = query, ["extensions"] = Persisted(sha) }.ToJsonString());

        // act
        using var response = await _gateway.Client.GetAsync($"/graphql?extensions={extensions}");

        // assert
        Assert.Contains("PERSISTED_QUERY_NOT_FOUND", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, register.StatusCode);
        Assert.Equal("""{"data":{"me":{"name":"Ada Lovelace"}}}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"query":"{ me { name } }","extensions":[1]}""")]
    [InlineData("""{"query":"{ me { name } }","extensions":"x"}""")]
    public async Task Post_Should_Return400_When_ExtensionsIsNotAnObject(string body)
    {
        // act
        using var response = await PostAsync(body);

        // assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("`extensions` must be a JSON object.", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("&variables=%5B1%5D", "`variables` must be a JSON object.")]
    [InlineData("&variables=%7Bnot", "`variables` must be a JSON object.")]
    [InlineData("&extensions=%22x%22", "`extensions` must be a JSON object.")]
    public async Task Get_Should_Return400NamingTheParameter_When_ParameterIsNotAnObject(string parameter, string message)
    {
        // act
        using var response = await _gateway.Client.GetAsync("/graphql?query=%7B__typename%7D" + parameter);

        // assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Host_Should_PassEveryGraphQLHttpAuditCheck_When_Audited()
    {
        // act
        var checks = await GraphQLHttpAudit.RunAsync(_gateway.App.Address() + "graphql");

        // assert
        Assert.Equal(61, checks.Count);
        Assert.Empty(checks.Where(c => c.Status != "ok").Select(c => c.ToString()));
    }

    [Fact]
    public async Task Health_Should_Return200_When_HostIsRunning()
    {
        // act
        using var response = await _gateway.Client.GetAsync("/health/live");

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Host_Should_ServeNewSchema_When_SupergraphFileChanges()
    {
        // arrange: the new supergraph hides Product.weight
        var changed = _fixture.SupergraphSdl.Replace(
            "weight: Int! @join__field(graph: INVENTORY, external: true) @join__field(graph: PRODUCTS)",
            "weight: Int! @join__field(graph: INVENTORY, external: true) @join__field(graph: PRODUCTS) @inaccessible",
            StringComparison.Ordinal);
        Assert.NotEqual(_fixture.SupergraphSdl, changed);
        const string body = """{"query":"{ product(upc: \"1\") { weight } }"}""";
        using (var before = await PostAsync(body, GraphQLResponseJson))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // act
        await File.WriteAllTextAsync(_gateway.SupergraphPath, changed);
        var status = HttpStatusCode.OK;
        for (var attempt = 0; attempt < 50 && status == HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(100);
            using var after = await PostAsync(body, GraphQLResponseJson);
            status = after.StatusCode;
        }

        // assert
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Post_Should_Return400WithGraphQLError_When_BodyIsNotUtf8()
    {
        // act: this body used to get a 500 with an empty body
        using var response = await _gateway.Client.PostAsync("/graphql", GraphQLHttpProbes.InvalidUtf8Body());

        // assert
        Assert.Equal((HttpStatusCode.BadRequest, "The request body is not valid UTF-8.", "BAD_REQUEST"), await GraphQLHttpProbes.FirstErrorAsync(response));
    }

    [Fact]
    public async Task Post_Should_Return400_When_QueryHoldsAnEscapedLoneSurrogate()
    {
        // act
        using var response = await PostAsync("""{"query":"{ __typename } # \ud800"}""");

        // assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("`query` must be a string.", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_Should_Return413_When_BodyExceedsTheDefaultMegabyte(bool chunked)
    {
        // arrange
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(GraphQLHttpProbes.PaddedBody(1024 * 1024), Encoding.UTF8, "application/json"),
        };
        request.Headers.TransferEncodingChunked = chunked;

        // act
        using var response = await _gateway.Client.SendAsync(request);

        // assert
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "The request body exceeds 1048576 bytes.", "BAD_REQUEST"), await GraphQLHttpProbes.FirstErrorAsync(response));
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/*", "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/json, application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/json, application/graphql-response+json;q=0.5", "application/json")]
    public async Task Post_Should_AnswerNegotiatedMediaType_When_AcceptVaries(string? accept, string expected)
    {
        // act
        using var response = await PostAsync("""{"query":"{ __typename }"}""", accept);

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml, application/json;q=0")]
    public async Task Post_Should_Return406_When_AcceptAllowsNoGraphQLMediaType(string accept)
    {
        // act
        using var response = await PostAsync("""{"query":"{ __typename }"}""", accept);

        // assert
        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("NOT_ACCEPTABLE", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"query":"{"}""", "GRAPHQL_PARSE_FAILED")]
    [InlineData("""{"query":"{ nope }"}""", "GRAPHQL_VALIDATION_FAILED")]
    [InlineData("""{"query":"query ($id: ID!) { user(id: $id) { name } }","variables":{"id":null}}""", "BAD_USER_INPUT")]
    public async Task Post_Should_Return200ForJsonAnd400ForGraphQLResponse_When_RequestFailsBeforeExecution(string body, string code)
    {
        // act
        using var json = await PostAsync(body, "application/json");
        using var graphqlResponse = await PostAsync(body, GraphQLResponseJson);

        // assert
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, graphqlResponse.StatusCode);
        foreach (var response in new[] { json, graphqlResponse })
        {
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(code, answer["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
            Assert.False(answer.AsObject().ContainsKey("data"));
        }
    }

    [Fact]
    public async Task Post_Should_Return400ForBothMediaTypes_When_QueryIsMissing()
    {
        // act
        using var json = await PostAsync("""{"qeury":"{ __typename }"}""", "application/json");
        using var graphqlResponse = await PostAsync("""{"qeury":"{ __typename }"}""", GraphQLResponseJson);

        // assert
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, graphqlResponse.StatusCode);
    }

    [Fact]
    public async Task Get_Should_Return405WithAllowPost_When_OperationIsMutationForJsonClients()
    {
        // arrange
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("mutation { restock(upc: \"1\") }"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        // act
        using var response = await _gateway.Client.SendAsync(request);

        // assert
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Put_Should_Return405WithAllowGetPost_When_MethodIsNotSupported()
    {
        // act
        using var response = await _gateway.Client.PutAsync("/graphql", new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"));

        // assert
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Post_Should_Return415_When_CharsetIsNotUtf8()
    {
        // act
        using var response = await _gateway.Client.PostAsync("/graphql", new StringContent("""{"query":"{ __typename }"}""", Encoding.Unicode, "application/json"));

        // assert
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private const string GraphQLResponseJson = "application/graphql-response+json";

    private Task<HttpResponseMessage> PostAsync(string body, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return _gateway.Client.SendAsync(request);
    }
}
