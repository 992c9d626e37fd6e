using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Accounts.Tests;

/// <summary>Each test signs in from its own client address (X-Forwarded-For through the trusted loopback proxy).</summary>
[Collection(AccountsCollection.Name)]
public sealed class LoginThrottleTests(AccountsFixture fixture)
{
    [Fact]
    public async Task Login_Should_RefuseCorrectPasswordWithRetryAfter_When_AccountLimitReached()
    {
        // arrange
        var (email, password) = await RegisterAsync();
        for (var i = 0; i < AccountsFixture.PerAccountLimit; i++)
            AssertUnauthenticated(await LoginAsync(AccountsFixture.NewClientAddress(), email, "wrong-password-1"));

        // act
        var correct = await LoginAsync(AccountsFixture.NewClientAddress(), email, password);
        var otherCase = await LoginAsync(AccountsFixture.NewClientAddress(), email.ToUpperInvariant(), password);

        // assert
        AssertRateLimited(correct);
        AssertRateLimited(otherCase);
    }

    [Fact]
    public async Task Login_Should_RefuseEveryAccountFromAddress_When_AddressLimitReached()
    {
        // arrange
        var address = AccountsFixture.NewClientAddress();
        var (email, password) = await RegisterAsync();
        for (var i = 0; i < AccountsFixture.PerAddressLimit; i++)
            AssertUnauthenticated(await LoginAsync(address, $"stuffing.{Guid.NewGuid():N}@example.com", "Password123!"));

        // act
        var sameAddress = await LoginAsync(address, email, password);
        var otherAddress = await LoginAsync(AccountsFixture.NewClientAddress(), email, password);

        // assert
        AssertRateLimited(sameAddress);
        Assert.Empty(otherAddress["data"]!["login"]!["errors"]!.AsArray());
        Assert.NotNull(otherAddress["data"]!["login"]!["accessToken"]);
    }

    [Fact]
    public async Task Login_Should_NotCountSuccessfulSignIns_When_UserSignsInRepeatedly()
    {
        // arrange
        var address = AccountsFixture.NewClientAddress();
        var (email, password) = await RegisterAsync();

        // act
        var results = new List<JsonObject>();
        for (var i = 0; i <= AccountsFixture.PerAccountLimit; i++)
            results.Add(await LoginAsync(address, email, password));

        // assert
        Assert.All(results, r => Assert.NotNull(r["data"]!["login"]!["accessToken"]));
    }

    [Fact]
    public async Task Login_Should_RefuseOnSecondReplica_When_FirstReplicaCountedTheAttempts()
    {
        // arrange
        var (email, password) = await RegisterAsync();
        await using var replica = await fixture.StartReplicaAsync();
        for (var i = 0; i < AccountsFixture.PerAccountLimit; i++)
            AssertUnauthenticated(await LoginAsync(AccountsFixture.NewClientAddress(), email, "wrong-password-1"));

        // act
        var onReplica = await replica.QueryAsync(SessionOperations.Login, new { input = new { email, password } });

        // assert
        AssertRateLimited(onReplica);
    }

    [Fact]
    public async Task Login_Should_CountConnectionAddress_When_ForwardedForSentWithoutTrustedProxy()
    {
        // arrange
        var settings = new Dictionary<string, string?>
        {
            ["ForwardedHeaders__TrustedProxies__0"] = null,
            // Its own Redis database, so only this test's attempts count against 127.0.0.1.
            ["ConnectionStrings__Redis"] = fixture.RedisConnectionString + ",defaultDatabase=3",
        };
        await using var replica = await fixture.StartReplicaAsync(settings);
        var spoofed = Enumerable.Range(0, AccountsFixture.PerAddressLimit).Select(_ => AccountsFixture.NewClientAddress()).ToList();

        // act
        var attempts = new List<JsonObject>();
        foreach (var address in spoofed)
            attempts.Add(await QueryFromAsync(replica, address, $"spoof.{Guid.NewGuid():N}@example.com"));
        var next = await QueryFromAsync(replica, AccountsFixture.NewClientAddress(), $"spoof.{Guid.NewGuid():N}@example.com");

        // assert
        Assert.All(attempts, AssertUnauthenticated);
        AssertRateLimited(next);
    }

    [Fact]
    public async Task Login_Should_VerifyDecoyHash_When_EmailUnknownOrAccountLocked()
    {
        // arrange
        var unknown = $"nobody.{Guid.NewGuid():N}@example.com";
        var (registered, _) = await RegisterAsync();

        // act
        AssertUnauthenticated(await LoginAsync(AccountsFixture.NewClientAddress(), unknown, "Password123!"));
        AssertUnauthenticated(await LoginAsync(AccountsFixture.NewClientAddress(), "user9@example.com", "Password123!"));
        AssertUnauthenticated(await LoginAsync(AccountsFixture.NewClientAddress(), registered, "wrong-password-1"));

        // assert
        await ExpectLogAsync($"Login failed for account {Digest(unknown)}: unknown email; password checked against the decoy hash");
        await ExpectLogAsync($"Login failed for account {Digest("user9@example.com")}: wrong password; password checked against the decoy hash");
        await ExpectLogAsync($"Login failed for account {Digest(registered)}: wrong password; password checked against the stored hash");
    }

    private async Task ExpectLogAsync(string line) => await fixture.Accounts.Process.WaitForLineAsync(line, TimeSpan.FromSeconds(10));

    private static string Digest(string email) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email)));

    private async Task<(string Email, string Password)> RegisterAsync()
    {
        var email = $"throttle.{Guid.NewGuid():N}@example.com";
        const string password = "Correct-horse-1";
        await fixture.DataAsync("mutation($input: RegisterInput!) { register(input: $input) { user { id } } }",
            new { input = new { email, name = "Throttle Tester", password } });
        return (email, password);
    }

    private static async Task<JsonObject> QueryFromAsync(Federation.Testing.Subgraphs.SubgraphProcess replica, string address, string email) =>
        await AccountsFixture.QueryFromAsync(replica, address, SessionOperations.Login, new { input = new { email, password = "Password123!" } });

    private Task<JsonObject> LoginAsync(string address, string email, string password) =>
        fixture.QueryFromAsync(address, SessionOperations.Login, new { input = new { email, password } });

    private static void AssertUnauthenticated(JsonObject response)
    {
        Assert.True(response["errors"] is null, response.ToJsonString());
        Assert.Equal("UNAUTHENTICATED", response["data"]!["login"]!["errors"]![0]!["code"]!.GetValue<string>());
    }

    private static void AssertRateLimited(JsonObject response)
    {
        Assert.Null(response["data"]);
        var error = Assert.Single(response["errors"]!.AsArray())!;
        Assert.Equal("RATE_LIMITED", error["extensions"]!["code"]!.GetValue<string>());
        Assert.InRange(error["extensions"]!["retryAfter"]!.GetValue<int>(), 1, 15 * 60);
        Assert.Equal(["login"], error["path"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.StartsWith("Too many login attempts.", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
