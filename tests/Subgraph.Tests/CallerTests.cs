using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Security;
using Federation.Subgraph.Security;
using Federation.Testing.Security;

namespace Subgraph.Tests;

/// <summary>The kit's caller API: what a resolver learns from the gateway's internal token.</summary>
public sealed class CallerTests : IAsyncLifetime
{
    private KitSubgraph subgraph = null!;

    public async Task InitializeAsync() => subgraph = await KitSubgraph.StartAsync();

    public async Task DisposeAsync() => await subgraph.DisposeAsync();

    [Fact]
    public async Task Caller_Should_CarryUserIdAndScopes_When_GatewayTokenNamesThem()
    {
        // act
        var answer = await AskAsync(subgraph.Http, TestInternalTokens.Mint(KitSubgraph.Name, "42", "shopper", "admin"));

        // assert
        Assert.Equal("42 signedIn:True shopper:True admin:True user42:True", answer);
    }

    [Fact]
    public async Task Caller_Should_HaveOnlyItsOwnScopes_When_ShopperCalls()
    {
        // act
        var answer = await AskAsync(subgraph.Http, TestInternalTokens.Mint(KitSubgraph.Name, "7", "shopper"));

        // assert
        Assert.Equal("7 signedIn:True shopper:True admin:False user42:False", answer);
    }

    [Fact]
    public async Task Caller_Should_BeAnonymous_When_GatewayTokenHasNoSubject()
    {
        // act
        var answer = await AskAsync(subgraph.Http, TestInternalTokens.Mint(KitSubgraph.Name));

        // assert
        Assert.Equal("anonymous signedIn:False shopper:False admin:False user42:False", answer);
    }

    [Fact]
    public async Task Graphql_Should_Answer401_When_TokenIsForAnotherSubgraph()
    {
        // act
        using var response = await PostAsync(subgraph.Http, TestInternalTokens.Mint("catalog", "42", "admin"));

        // assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public void From_Should_GiveAnonymous_When_IdentityIsNotAuthenticated()
    {
        // arrange: claims nobody validated must not count
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "42"), new Claim("scope", "admin")]));

        // act
        var caller = Caller.From(principal);

        // assert
        Assert.Same(Caller.Anonymous, caller);
        Assert.False(caller.HasScope("admin"));
    }

    [Fact]
    public async Task Subgraph_Should_TrustANewGatewayKey_When_ItsPublicHalfIsAddedWhileRunning()
    {
        // arrange: a subgraph trusting a folder that gets a second key while it runs
        var folder = Directory.CreateTempSubdirectory("kit-keys-").FullName;
        try
        {
            var first = new KeyRing([SigningKeyFiles.Read(SigningKeyFiles.Generate(Path.Combine(folder, "private-1"), TimeProvider.System, Path.Combine(folder, "public")))]);
            await using var rotating = await KitSubgraph.StartAsync(Path.Combine(folder, "public"), "00:00:00.2");
            var secondFile = Path.Combine(folder, "private-2");
            var token = () => new InternalTokenIssuer(() => new KeyRing([SigningKeyFiles.Read(Directory.GetFiles(secondFile).Single())])).Issue(KitSubgraph.Name, "1", []);
            var before = await AskAsync(rotating.Http, new InternalTokenIssuer(() => first).Issue(KitSubgraph.Name, "1", []));

            // act
            SigningKeyFiles.Generate(secondFile, TimeProvider.System, Path.Combine(folder, "public"));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            HttpStatusCode status;
            do
            {
                using var response = await PostAsync(rotating.Http, token());
                status = response.StatusCode;
                if (status == HttpStatusCode.OK)
                {
                    break;
                }

                await Task.Delay(100);
            }
            while (DateTime.UtcNow < deadline);

            // assert
            Assert.Equal("1 signedIn:True shopper:False admin:False user42:False", before);
            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Start_Should_Fail_When_PublicKeyFolderHoldsNoKey()
    {
        // arrange
        var empty = Directory.CreateTempSubdirectory("kit-no-keys-").FullName;
        try
        {
            // act
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KitSubgraph.StartAsync(empty));

            // assert
            Assert.Contains($"InternalTokens:PublicKeysPath '{empty}' holds no usable EC P-256 key", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task Start_Should_Fail_When_PublicKeysPathIsNotConfigured()
    {
        // act
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => KitSubgraph.StartAsync(publicKeysPath: ""));

        // assert
        Assert.Contains("InternalTokens:PublicKeysPath must name the folder of the gateway's public keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_Should_ReuseTokenForHalfItsLifetimeAndSignAnew_When_ItAges()
    {
        // arrange
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var ring = new KeyRing([SigningKeyFiles.Read(Directory.GetFiles(TestInternalTokens.PrivateKeysPath).Single())]);
        var issuer = new InternalTokenIssuer(() => ring, clock);

        // act
        var first = issuer.Issue("orders", "1", ["shopper"]);
        clock.Now += TimeSpan.FromSeconds(29);
        var reused = issuer.Issue("orders", "1", ["shopper"]);
        var otherCaller = issuer.Issue("orders", "2", ["shopper"]);
        var otherSubgraph = issuer.Issue("payments", "1", ["shopper"]);
        clock.Now += TimeSpan.FromSeconds(2);
        var renewed = issuer.Issue("orders", "1", ["shopper"]);

        // assert
        Assert.Equal(first, reused);
        Assert.NotEqual(first, otherCaller);
        Assert.NotEqual(first, otherSubgraph);
        Assert.NotEqual(first, renewed);
    }

    private static async Task<string> AskAsync(HttpClient http, string token)
    {
        using var response = await PostAsync(http, token);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body["data"]!["caller"]!.GetValue<string>();
    }

    /// <summary>Asks the kit subgraph for <c>{ caller }</c> with this internal token.</summary>
    internal static Task<HttpResponseMessage> PostAsync(HttpClient http, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"{ caller }"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }
}
