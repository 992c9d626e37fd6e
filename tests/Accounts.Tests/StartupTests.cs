using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;

namespace Accounts.Tests;

[Collection(AccountsCollection.Name)]
public sealed class StartupTests(AccountsFixture fixture)
{
    [Fact]
    public async Task Start_Should_FailFast_When_KeyFolderHoldsNoKey()
    {
        // arrange
        var empty = TestDirectories.Create("accounts-no-keys");

        try
        {
            // act
            var start = fixture.StartReplicaAsync(new Dictionary<string, string?> { ["Jwt__KeysPath"] = empty });

            // assert
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => start);
            Assert.Contains($"Jwt:KeysPath '{empty}' holds no usable EC P-256 key", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            TestDirectories.Delete(empty);
        }
    }

    [Fact]
    public async Task Start_Should_FailFast_When_KeysPathMissing()
    {
        // act
        var start = fixture.StartReplicaAsync(new Dictionary<string, string?> { ["Jwt__KeysPath"] = null });

        // assert
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        Assert.Contains("Jwt:KeysPath must name the folder of signing keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Should_FailFast_When_PasswordIterationsAreBelowTheDefaultWithoutTheTestFlag()
    {
        // act: the test stacks' 10,000 rounds without PasswordHashing:TestOnlyWeakIterations
        var start = fixture.StartReplicaAsync(new Dictionary<string, string?> { ["PasswordHashing__TestOnlyWeakIterations"] = null });

        // assert
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        Assert.Contains($"PasswordHashing:Iterations is {AccountsSettings.PasswordIterations}: it must be at least 600,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_Should_FailClosedWhileRefreshStillWorks_When_RedisUnreachable()
    {
        // arrange
        var session = (await fixture.DataAsync(SessionOperations.Login,
            new { input = new { email = SessionOperations.DemoShopperEmail, password = SessionOperations.DemoShopperPassword } }))["login"]!;
        await using var replica = await fixture.StartReplicaAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Redis"] = $"127.0.0.1:{Federation.Testing.Processes.FreePort.Next()},connectTimeout=500",
        });

        // act
        var login = await replica.QueryAsync(SessionOperations.Login,
            new { input = new { email = SessionOperations.DemoShopperEmail, password = SessionOperations.DemoShopperPassword } });
        var refresh = await replica.QueryAsync(SessionOperations.Refresh, new { refreshToken = session["refreshToken"]!.GetValue<string>() });

        // assert
        var error = Assert.Single(login["errors"]!.AsArray())!;
        Assert.Equal("SERVICE_UNAVAILABLE", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Null(login["data"]);
        Assert.NotNull(refresh["data"]!["refreshSession"]!["accessToken"]);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task KeysGenerate_Should_WriteOwnerOnlyP256Key_When_Run()
    {
        // arrange
        var folder = Path.Combine(TestDirectories.Create("accounts-generate"), "keys");

        try
        {
            // act
            var first = await AccountsSettings.GenerateKeyAsync(folder);
            var second = await AccountsSettings.GenerateKeyAsync(folder);

            // assert
            Assert.True(string.CompareOrdinal(Path.GetFileName(first), Path.GetFileName(second)) < 0, "a later key sorts after an earlier one");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(second));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            using var key = System.Security.Cryptography.ECDsa.Create();
            key.ImportFromPem(await File.ReadAllTextAsync(second));
            Assert.Equal(256, key.KeySize);
            Assert.Equal(["-----BEGIN PRIVATE KEY-----"], (await File.ReadAllLinesAsync(second)).Take(1));
        }
        finally
        {
            TestDirectories.Delete(Path.GetDirectoryName(folder)!);
        }
    }
}
