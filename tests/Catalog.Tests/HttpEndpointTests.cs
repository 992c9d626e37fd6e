using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Testing.Http;
using Federation.Testing.Security;

namespace Catalog.Tests;

[Collection(CatalogCollection.Name)]
public sealed class HttpEndpointTests(CatalogFixture fixture)
{
    private HttpClient Http => fixture.Catalog.Http;

    [Theory]
    [InlineData("application/json", "{not json", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "[1, 2]", HttpStatusCode.BadRequest)]
    [InlineData("application/json", """{"variables": {}}""", HttpStatusCode.BadRequest)]
    [InlineData("application/json", """{"query": 42}""", HttpStatusCode.BadRequest)]
    [InlineData("text/plain", """{"query": "{ __typename }"}""", HttpStatusCode.UnsupportedMediaType)]
    public async Task Post_Should_AnswerClientError_When_BodyUnusable(string contentType, string body, HttpStatusCode expected)
    {
        // act
        using var response = await Http.PostAsync("graphql", new StringContent(body, Encoding.UTF8, contentType));

        // assert
        Assert.Equal(expected, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotEmpty(json["errors"]!.AsArray());
    }

    [Fact]
    public async Task Post_Should_Answer413_When_BodyExceedsLimit()
    {
        // arrange
        var body = "{\"query\": \"{ __typename }\", \"variables\": {\"pad\": \"" + new string('x', 1_100_000) + "\"}}";

        // act
        using var response = await Http.PostAsync("graphql", new StringContent(body, Encoding.UTF8, "application/json"));

        // assert
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_Should_Answer400_When_GraphQLResponseMediaTypeAndDocumentInvalid()
    {
        // act
        using var response = await fixture.Catalog.PostAsync("{ products { nope } }");

        // assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Post_Should_Answer200_When_LegacyJsonClientSendsInvalidDocument()
    {
        // arrange
        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql")
        {
            Content = new StringContent("""{"query": "{ products { nope } }"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        // act
        using var response = await Http.SendAsync(request);

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Get_Should_ExecuteQuery_When_QueryInQueryString()
    {
        // act
        using var response = await Http.GetAsync("graphql?query=" + Uri.EscapeDataString("query($id: ID!) { product(id: $id) { id } }")
            + "&variables=" + Uri.EscapeDataString("""{"id": "42"}"""));

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("42", json["data"]!["product"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_Should_Answer405_When_OperationIsMutation()
    {
        // act
        using var response = await Http.GetAsync("graphql?query=" + Uri.EscapeDataString("""mutation { updateProduct(input: { id: "1", name: "x" }) { errors { code } } }"""));

        // assert
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var product = await fixture.DataAsync("""{ product(id: "1") { name } }""");
        Assert.NotEqual("x", product["product"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_Should_Answer405_When_MutationTextWasAlreadyRunOverPost()
    {
        // arrange: the first POST puts the parsed mutation in the document cache
        const string mutation = """mutation { updateProduct(input: { id: "2", name: "" }) { errors { code } } }""";
        using var post = await Http.PostAsync("graphql", new StringContent(new JsonObject { ["query"] = mutation }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);

        // act
        using var response = await Http.GetAsync("graphql?query=" + Uri.EscapeDataString(mutation));

        // assert
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Post_Should_RejectBadVariables_When_QueryTextIsCached()
    {
        // arrange
        const string query = "query ($id: ID!) { product(id: $id) { id } }";
        async Task<JsonNode> PostAsync(JsonNode? id)
        {
            var body = new JsonObject { ["query"] = query, ["variables"] = new JsonObject { ["id"] = id } };
            using var response = await Http.PostAsync("graphql", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }

        var valid = await PostAsync("3");

        // act
        var missing = await PostAsync(null);
        var again = await PostAsync("4");

        // assert
        Assert.Equal("3", valid["data"]!["product"]!["id"]!.GetValue<string>());
        Assert.Null(missing["data"]);
        Assert.Contains("$id", missing["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("4", again["data"]!["product"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_Should_Answer406_When_AcceptAllowsNoJson()
    {
        // arrange
        using var request = new HttpRequestMessage(HttpMethod.Get, "graphql?query=%7B__typename%7D");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        // act
        using var response = await Http.SendAsync(request);

        // assert
        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task Post_Should_Answer400WithGraphQLError_When_BodyIsNotUtf8()
    {
        // act
        using var response = await Http.PostAsync("graphql", GraphQLHttpProbes.InvalidUtf8Body());

        // assert
        Assert.Equal((HttpStatusCode.BadRequest, "The request body is not valid UTF-8.", "BAD_REQUEST"), await GraphQLHttpProbes.FirstErrorAsync(response));
    }

    [Fact]
    public async Task Post_Should_Answer413WithGraphQLError_When_ChunkedBodyExceedsLimit()
    {
        // arrange
        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql")
        {
            Content = new StringContent(GraphQLHttpProbes.PaddedBody(1_100_000), Encoding.UTF8, "application/json"),
        };
        request.Headers.TransferEncodingChunked = true;

        // act
        using var response = await Http.SendAsync(request);

        // assert
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "The request body exceeds 1048576 bytes.", "BAD_REQUEST"), await GraphQLHttpProbes.FirstErrorAsync(response));
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/graphql-response+json, application/json", "application/graphql-response+json")]
    public async Task Post_Should_AnswerNegotiatedMediaType_When_AcceptVaries(string? accept, string expected)
    {
        // arrange
        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql")
        {
            Content = new StringContent("""{"query": "{ __typename }"}""", Encoding.UTF8, "application/json"),
        };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        // act
        using var response = await Http.SendAsync(request);

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Endpoint_Should_PassEveryGraphQLHttpAuditCheck_When_Audited()
    {
        // act: every subgraph serves HTTP through the same kit, so catalog stands for all seven
        var checks = await GraphQLHttpAudit.RunAsync(new Uri(Http.BaseAddress!, "graphql").ToString(), "Bearer " + TestInternalTokens.MintLongLived("catalog", TimeSpan.FromMinutes(5)));

        // assert
        Assert.Equal(61, checks.Count);
        Assert.Empty(checks.Where(c => c.Status != "ok").Select(c => c.ToString()));
    }

    [Theory]
    [InlineData("health/live")]
    [InlineData("health/ready")]
    public async Task Health_Should_Answer200_When_DatabaseReachable(string path)
    {
        // act
        using var response = await Http.GetAsync(path);

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
