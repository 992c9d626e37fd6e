using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Microsoft.IdentityModel.Tokens;

namespace Federation.Gateway.Tests.Host;

/// <summary>Bearer validation in the real host against a live issuer (discovery + JWKS over HTTP): every forgery is a 401.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private readonly GatewayFixture _fixture = new();
    private TokenIssuer _issuer = null!;
    private HostedGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TokenIssuer.StartAsync();
        _gateway = await HostedGateway.StartAsync(
            _fixture,
            [
                "--Authentication:MetadataAddress", _issuer.MetadataAddress, "--Authentication:RequireHttpsMetadata", "false",
                "--Authentication:KeyRefreshInterval", "1", "--Authentication:KeyPollInterval", "2", "--Authorization:ExposeQueryPlans", "true",
            ]);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _issuer.DisposeAsync();
        _fixture.Dispose();
    }

    public static TheoryData<string> Forgeries() =>
        ["garbage", "alg-none", "wrong-key", "expired", "wrong-issuer", "wrong-audience", "tampered-payload", "symmetric-hs256", "empty"];

    [Fact]
    public async Task Post_Should_AnswerData_When_TokenIsValid()
    {
        // act
        using var response = await PostAsync(_issuer.Token());

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"data":{"me":{"name":"Ada Lovelace"}}}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Post_Should_Answer401WithBearerChallenge_When_TokenIsForged(string forgery)
    {
        // arrange
        var token = Forge(forgery);

        // act
        using var response = await PostAsync(token);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.StartsWith(forgery == "empty" ? "error=\"invalid_request\"" : "error=\"invalid_token\"", challenge.Parameter);
        Assert.Equal("UNAUTHENTICATED", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Null(body["data"]);
    }

    [Fact]
    public async Task Post_Should_Answer401_When_AuthorizationIsNotBearer()
    {
        // arrange
        using var request = Request("""{"query":"{ me { name } }"}""");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "YWRtaW46YWRtaW4=");

        // act
        using var response = await _gateway.Client.SendAsync(request);

        // assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("error=\"invalid_request\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
    }

    [Fact]
    public async Task Post_Should_AcceptTokenOfRotatedKey_When_IssuerPublishesNewKeyWhileGatewayRuns()
    {
        // arrange
        using (var before = await PostAsync(_issuer.Token()))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var fetches = _issuer.JwksFetches;
        _issuer.Rotate();

        // act
        using var response = await PostAsync(_issuer.Token());

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(_issuer.JwksFetches > fetches, "the unknown kid made the gateway fetch the JWKS again");
    }

    [Fact]
    public async Task Post_Should_RefuseTokenOfRetiredKey_When_IssuerStopsPublishingItWhileGatewayRuns()
    {
        // arrange: a token of the first key, accepted (and remembered by the token cache); then a new key signs, which
        // the gateway learns at once, and the first key leaves the JWKS.
        var old = _issuer.Token();
        using (var before = await PostAsync(old))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        _issuer.Rotate();
        using (var rotated = await PostAsync(_issuer.Token()))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        _issuer.RetireOldKeys();
        var retired = DateTime.UtcNow;

        // act: the gateway polls the JWKS every 2 s here (Authentication:KeyPollInterval)
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && DateTime.UtcNow - retired < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(250);
            using var response = await PostAsync(old);
            status = response.StatusCode;
        }

        // assert
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        using var current = await PostAsync(_issuer.Token());
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
    }

    [Theory]
    [InlineData("shopper admin", true)]
    [InlineData("shopper", false)]
    [InlineData(null, false)]
    public async Task Post_Should_ShowQueryPlanOnlyToAdmin_When_PlanHeaderIsTrue(string? scope, bool shown)
    {
        // arrange
        using var request = Request("""{"query":"{ topProducts { name inStock } }"}""");
        request.Headers.Add("GraphQL-Query-Plan", "true");
        if (scope is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Token(scope: scope));
        }

        // act
        using var response = await _gateway.Client.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(shown ? 2 : 0, json["extensions"]?["queryPlan"]?["fetches"]?.AsArray().Count ?? 0);
    }

    private string Forge(string forgery)
    {
        static string Segment(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var claims = $$"""{"sub":"1","scope":"shopper admin","iss":"{{TokenIssuer.Issuer}}","aud":"{{TokenIssuer.Audience}}","exp":{{exp}}}""";
        switch (forgery)
        {
            case "garbage":
                return "not-a-token";
            case "empty":
                return string.Empty;
            case "alg-none":
                return Segment("""{"alg":"none","typ":"JWT"}""") + "." + Segment(claims) + ".";
            case "wrong-key":
                // A forger's key under the issuer's own key id.
                var forger = TokenIssuer.NewKey();
                forger.KeyId = _issuer.SigningKey.KeyId;
                return _issuer.Token(key: forger);
            case "expired":
                return _issuer.Token(expires: DateTime.UtcNow.AddMinutes(-5));
            case "wrong-issuer":
                return _issuer.Token(issuer: "someone-else");
            case "wrong-audience":
                return _issuer.Token(audience: "another-api");
            case "tampered-payload":
                var parts = _issuer.Token(scope: "shopper").Split('.');
                return parts[0] + "." + Segment(claims) + "." + parts[2];
            case "symmetric-hs256":
                var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('k', 64))) { KeyId = _issuer.SigningKey.KeyId };
                return _issuer.Token(key: secret, algorithm: SecurityAlgorithms.HmacSha256);
            default:
                throw new ArgumentOutOfRangeException(nameof(forgery), forgery, null);
        }
    }

    private Task<HttpResponseMessage> PostAsync(string token)
    {
        var request = Request("""{"query":"{ me { name } }"}""");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return _gateway.Client.SendAsync(request);
    }

    private static HttpRequestMessage Request(string body) =>
        new(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
