using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Security;
using Federation.Testing.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Federation.Gateway.Tests.Security;

/// <summary>
/// Defense in depth: each subgraph port, asked directly (bypassing the gateway), answers root fields, <c>_entities</c>
/// and <c>_service</c> only with a valid internal token the gateway signed for that subgraph.
/// </summary>
[Collection(Corpus.CorpusCollection.Name)]
public sealed class SubgraphAuthenticationTests(Corpus.CorpusFixture corpus)
{
    /// <summary>A root field and an entity of each subgraph.</summary>
    private static readonly Dictionary<string, (string RootField, string Entity)> Surface = new(StringComparer.Ordinal)
    {
        ["accounts"] = ("""{ user(id: "1") { __typename } }""", "User"),
        ["catalog"] = ("""{ products(first: 1) { nodes { __typename } } }""", "Product"),
        ["inventory"] = ("""{ stock(productId: "1") { __typename } }""", "Product"),
        ["orders"] = ("""{ order(id: "1") { __typename } }""", "Order"),
        ["payments"] = ("""{ payment(id: "1") { __typename } }""", "Payment"),
        ["reviews"] = ("""{ review(id: "1") { __typename } }""", "Review"),
        ["notifications"] = ("""{ notification(id: "1") { __typename } }""", "Notification"),
        // Every alerting root field is admin-only and non-null, so a shopper's answer to one would be data: null.
        ["alerting"] = ("{ __typename }", "Alert"),
    };

    public static TheoryData<string, string> Attacks()
    {
        var data = new TheoryData<string, string>();
        foreach (var subgraph in Surface.Keys)
        {
            foreach (var attack in new[] { "none", "garbage", "other key", "wrong audience", "wrong issuer", "expired", "alg none", "tampered", "basic scheme" })
            {
                data.Add(subgraph, attack);
            }
        }

        return data;
    }

    public static TheoryData<string> Names() => [.. Surface.Keys];

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Subgraph_Should_Answer401ToRootFieldsEntitiesAndService_When_TokenIsNotTheGatewaysForIt(string subgraph, string attack)
    {
        // arrange
        var authorization = Forge(subgraph, attack);

        // act
        var answers = new List<(HttpStatusCode Status, string? Challenge, JsonNode? Body)>();
        foreach (var query in Queries(subgraph))
        {
            using var response = await PostAsync(subgraph, query, authorization);
            answers.Add((response.StatusCode, response.Headers.WwwAuthenticate.FirstOrDefault()?.Scheme, JsonNode.Parse(await response.Content.ReadAsStringAsync())));
        }

        // assert
        Assert.All(answers, answer =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
            Assert.Equal("Bearer", answer.Challenge);
            Assert.Null(answer.Body!["data"]);
            Assert.Equal("UNAUTHENTICATED", answer.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        });
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Subgraph_Should_AnswerRootFieldsEntitiesAndService_When_TokenIsTheGatewaysForIt(string subgraph)
    {
        // arrange
        var authorization = new AuthenticationHeaderValue("Bearer", TestInternalTokens.Mint(subgraph, "1", "shopper"));

        // act
        var answers = new List<(HttpStatusCode Status, JsonNode? Body)>();
        foreach (var query in Queries(subgraph))
        {
            using var response = await PostAsync(subgraph, query, authorization);
            answers.Add((response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())));
        }

        // assert
        Assert.All(answers, answer =>
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.NotNull(answer.Body!["data"]);
        });
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Subgraph_Should_KeepHealthOpen_When_RequestHasNoToken(string subgraph)
    {
        // arrange
        using var client = new HttpClient { BaseAddress = corpus.Subgraphs.Subgraphs[subgraph].BaseAddress };

        // act
        using var live = await client.GetAsync("health/live");
        using var ready = await client.GetAsync("health/ready");

        // assert
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Subgraph_Should_Answer401_When_GetRequestHasNoToken()
    {
        // arrange
        using var client = new HttpClient { BaseAddress = corpus.Subgraphs.Subgraphs["catalog"].BaseAddress };

        // act
        using var response = await client.GetAsync("graphql?query=%7B%20_service%20%7B%20sdl%20%7D%20%7D");

        // assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string[] Queries(string subgraph) =>
    [
        Surface[subgraph].RootField,
        $$"""{ _entities(representations: [{ __typename: "{{Surface[subgraph].Entity}}", id: "1" }]) { __typename } }""",
        "{ _service { sdl } }",
    ];

    private async Task<HttpResponseMessage> PostAsync(string subgraph, string query, AuthenticationHeaderValue? authorization)
    {
        // A bare client: SubgraphProcess.Http would add a valid token.
        using var client = new HttpClient { BaseAddress = corpus.Subgraphs.Subgraphs[subgraph].BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql")
        {
            Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }

    private static AuthenticationHeaderValue? Forge(string subgraph, string attack)
    {
        var now = DateTime.UtcNow;
        return attack switch
        {
            "none" => null,
            "garbage" => new("Bearer", "not-a-jwt"),
            "other key" => Bearer(Sign(OtherKey(), InternalTokens.Issuer, subgraph, now, now.AddMinutes(1))),
            "wrong audience" => new("Bearer", TestInternalTokens.Mint(subgraph == "orders" ? "payments" : "orders", "1", "admin")),
            // Right key and audience, but claiming to be accounts' access token rather than the gateway's.
            "wrong issuer" => Bearer(Sign(TestKey(), "federation-accounts", subgraph, now, now.AddMinutes(1))),
            "expired" => Bearer(Sign(TestKey(), InternalTokens.Issuer, subgraph, now.AddMinutes(-10), now.AddMinutes(-5))),
            "alg none" => Bearer(Unsigned(subgraph, now)),
            "tampered" => Bearer(Tamper(TestInternalTokens.Mint(subgraph, "1", "shopper"))),
            "basic scheme" => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:admin"))),
            _ => throw new ArgumentOutOfRangeException(nameof(attack), attack, null),
        };
    }

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private static SecurityKey TestKey() =>
        SigningKeyFiles.Read(Directory.GetFiles(TestInternalTokens.PrivateKeysPath, "*.pem").Single()).Key;

    private static SecurityKey OtherKey() => new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "attacker" };

    private static string Sign(SecurityKey key, string issuer, string audience, DateTime issued, DateTime expires) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = "1", ["scope"] = "shopper admin" },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });

    private static string Unsigned(string audience, DateTime now)
    {
        static string Part(JsonObject json) => Base64UrlEncoder.Encode(json.ToJsonString());
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["iss"] = InternalTokens.Issuer,
            ["aud"] = audience,
            ["sub"] = "1",
            ["scope"] = "shopper admin",
            ["iat"] = new DateTimeOffset(now).ToUnixTimeSeconds(),
            ["exp"] = new DateTimeOffset(now.AddMinutes(1)).ToUnixTimeSeconds(),
        };
        return Part(header) + "." + Part(payload) + ".";
    }

    /// <summary>The gateway's token with its payload rewritten to claim admin; the signature no longer matches.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["scope"] = "shopper admin";
        payload["sub"] = "51";
        return parts[0] + "." + Base64UrlEncoder.Encode(payload.ToJsonString()) + "." + parts[2];
    }
}
