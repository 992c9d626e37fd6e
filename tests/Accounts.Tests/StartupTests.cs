using Federation.Testing.Subgraphs;

namespace Accounts.Tests;

[Collection(AccountsCollection.Name)]
public sealed class StartupTests(AccountsFixture fixture)
{
    [Fact]
    public async Task Start_Should_FailFast_When_SigningKeyTooShort()
    {
        // act
        var start = SubgraphProcess.StartAsync("Accounts", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Accounts"] = fixture.ConnectionString,
            ["Jwt__SigningKey"] = "too-short",
        });

        // assert
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        Assert.Contains("Jwt:SigningKey must be at least 32 bytes", error.Message, StringComparison.Ordinal);
    }
}
