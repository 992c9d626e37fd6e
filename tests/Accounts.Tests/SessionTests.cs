using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Npgsql;

namespace Accounts.Tests;

[Collection(AccountsCollection.Name)]
public sealed class SessionTests(AccountsFixture fixture)
{
    [Theory]
    [InlineData(SessionOperations.DemoShopperEmail, SessionOperations.DemoShopperPassword, "1", "shopper")]
    [InlineData(SessionOperations.DemoAdminEmail, SessionOperations.DemoAdminPassword, "51", "shopper admin")]
    public async Task Login_Should_IssueEs256TokenWithKidAndClaims_When_ValidatedAgainstJwks(string email, string password, string subject, string scope)
    {
        // act
        var session = await LoginAsync(email, password);
        var discovery = await fixture.DiscoveryAsync();
        var validation = await fixture.ValidateAsync(session["accessToken"]!.GetValue<string>());

        // assert
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var token = (JsonWebToken)validation.SecurityToken;
        Assert.Equal("ES256", token.Alg);
        Assert.Contains(discovery.SigningKeys, key => key.KeyId == token.Kid);
        Assert.Equal(AccountsFixture.Issuer, token.Issuer);
        Assert.Equal([AccountsFixture.Audience], token.Audiences);
        Assert.Equal(subject, token.Subject);
        Assert.Equal(scope, token.GetClaim("scope").Value);
        Assert.Equal(TimeSpan.FromMinutes(15), token.ValidTo - token.IssuedAt);
        Assert.Equal(token.ValidTo, session["expiresAt"]!.GetValue<DateTime>().ToUniversalTime(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Discovery_Should_PublishIssuerAndPublicKeysOnly_When_Fetched()
    {
        // act
        var configuration = JsonNode.Parse(await fixture.Accounts.Http.GetStringAsync(".well-known/openid-configuration"))!;
        var jwks = JsonNode.Parse(await fixture.Accounts.Http.GetStringAsync(".well-known/jwks.json"))!;

        // assert
        Assert.Equal(AccountsFixture.Issuer, configuration["issuer"]!.GetValue<string>());
        Assert.Equal(new Uri(fixture.Accounts.BaseAddress, ".well-known/jwks.json").ToString(), configuration["jwks_uri"]!.GetValue<string>());
        var key = jwks["keys"]![0]!.AsObject();
        Assert.Equal(["kty", "use", "alg", "kid", "crv", "x", "y"], key.Select(p => p.Key));
        Assert.Equal("EC", key["kty"]!.GetValue<string>());
        Assert.Equal("P-256", key["crv"]!.GetValue<string>());
    }

    [Fact]
    public async Task RefreshSession_Should_RotateTokenAndIssueValidAccessToken_When_TokenCurrent()
    {
        // arrange
        var login = await LoginAsync(SessionOperations.DemoShopperEmail, SessionOperations.DemoShopperPassword);
        var first = login["refreshToken"]!.GetValue<string>();

        // act
        var second = await RefreshAsync(first);
        var third = await RefreshAsync(second["refreshToken"]!.GetValue<string>());

        // assert
        Assert.Empty(second["errors"]!.AsArray());
        Assert.Empty(third["errors"]!.AsArray());
        Assert.Equal("1", third["user"]!["id"]!.GetValue<string>());
        Assert.Equal(3, new[] { first, second["refreshToken"]!.GetValue<string>(), third["refreshToken"]!.GetValue<string>() }.Distinct().Count());
        var validation = await fixture.ValidateAsync(third["accessToken"]!.GetValue<string>());
        Assert.True(validation.IsValid, validation.Exception?.Message);
        Assert.Equal("1", validation.Claims["sub"]);
        Assert.Equal(3L, await ScalarAsync<long>("SELECT count(*) FROM refresh_tokens WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash)", Hash(first)));
    }

    [Fact]
    public async Task RefreshSession_Should_StoreOnlyTheHash_When_TokenIssued()
    {
        // act
        var token = (await LoginAsync(SessionOperations.DemoShopperEmail, SessionOperations.DemoShopperPassword))["refreshToken"]!.GetValue<string>();

        // assert
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM refresh_tokens WHERE token_hash = @hash", Hash(token)));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM refresh_tokens WHERE token_hash = @hash", Encoding.UTF8.GetBytes(token)));
    }

    [Fact]
    public async Task RefreshSession_Should_RevokeWholeFamily_When_UsedTokenPresentedAgain()
    {
        // arrange
        var first = (await LoginAsync(SessionOperations.DemoShopperEmail, SessionOperations.DemoShopperPassword))["refreshToken"]!.GetValue<string>();
        var second = (await RefreshAsync(first))["refreshToken"]!.GetValue<string>();

        // act
        var reuse = await RefreshAsync(first);
        var afterReuse = await RefreshAsync(second);

        // assert
        Assert.Null(reuse["accessToken"]);
        Assert.Equal("REFRESH_TOKEN_REUSED", Assert.Single(reuse["errors"]!.AsArray())!["code"]!.GetValue<string>());
        Assert.Null(afterReuse["accessToken"]);
        Assert.Equal("INVALID_REFRESH_TOKEN", Assert.Single(afterReuse["errors"]!.AsArray())!["code"]!.GetValue<string>());
        Assert.Equal(0L, await ScalarAsync<long>(
            "SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash)", Hash(first)));
    }

    [Fact]
    public async Task RefreshSession_Should_SucceedOnceAndRevokeFamily_When_SameTokenRefreshedConcurrently()
    {
        // arrange
        var token = (await LoginAsync(SessionOperations.DemoShopperEmail, SessionOperations.DemoShopperPassword))["refreshToken"]!.GetValue<string>();

        // act
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(token)));

        // assert
        var winner = Assert.Single(results, r => r["accessToken"] is not null);
        Assert.All(results.Where(r => r != winner), r => Assert.Equal("REFRESH_TOKEN_REUSED", r["errors"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal("INVALID_REFRESH_TOKEN", (await RefreshAsync(winner["refreshToken"]!.GetValue<string>()))["errors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Logout_Should_RevokeSession_When_RefreshTokenGiven()
    {
        // arrange
        var token = (await LoginAsync(SessionOperations.DemoShopperEmail, SessionOperations.DemoShopperPassword))["refreshToken"]!.GetValue<string>();

        // act
        var logout = (await fixture.DataAsync(SessionOperations.Logout, new { refreshToken = token }))["logout"]!;
        var refresh = await RefreshAsync(token);

        // assert
        Assert.True(logout["revoked"]!.GetValue<bool>());
        Assert.Empty(logout["errors"]!.AsArray());
        Assert.Null(refresh["accessToken"]);
        Assert.Equal("INVALID_REFRESH_TOKEN", Assert.Single(refresh["errors"]!.AsArray())!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("never-issued-token")]
    [InlineData("")]
    public async Task Session_Should_ReturnInvalidRefreshToken_When_TokenUnknown(string token)
    {
        // act
        var logout = (await fixture.DataAsync(SessionOperations.Logout, new { refreshToken = token }))["logout"]!;
        var refresh = await RefreshAsync(token);

        // assert
        Assert.False(logout["revoked"]!.GetValue<bool>());
        foreach (var payload in new[] { logout, refresh })
        {
            var error = Assert.Single(payload["errors"]!.AsArray())!;
            Assert.Equal("INVALID_REFRESH_TOKEN", error["code"]!.GetValue<string>());
            Assert.Equal(["refreshToken"], error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        }
    }

    private async Task<JsonNode> LoginAsync(string email, string password)
    {
        var payload = (await fixture.DataAsync(SessionOperations.Login, new { input = new { email, password } }))["login"]!;
        Assert.Empty(payload["errors"]!.AsArray());
        return payload;
    }

    private async Task<JsonNode> RefreshAsync(string refreshToken) =>
        (await fixture.DataAsync(SessionOperations.Refresh, new { refreshToken }))["refreshSession"]!;

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private async Task<T> ScalarAsync<T>(string sql, byte[] hash)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("hash", hash);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
