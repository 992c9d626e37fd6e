using Federation.Testing.Security;

namespace Accounts.Tests;

/// <summary>
/// A user's email is theirs: others get null and FORBIDDEN by every path (a user is public: name and id stay
/// readable), the user list needs admin, and the mutations that prove an account still show it to the caller.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class UserAccessTests(AccountsFixture fixture)
{
    private const string EveryPath = """
        query { user(id: "12") { id email } _entities(representations: [{ __typename: "User", id: "12" }]) { ... on User { id email } } }
        """;

    [Fact]
    public async Task Email_Should_BeReadableByEveryPath_When_CallerIsTheUserOrAdmin()
    {
        // act
        var own = await fixture.Accounts.DataAsync(TestCaller.Shopper(12), EveryPath);
        var admin = await fixture.Accounts.DataAsync(TestCaller.Admin, EveryPath);

        // assert
        foreach (var data in new[] { own, admin })
        {
            Assert.Equal("user12@example.com", data["user"]!["email"]!.GetValue<string>());
            Assert.Equal("user12@example.com", data["_entities"]![0]!["email"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Email_Should_BeNullAndForbiddenByEveryPath_When_AnotherShopperAsks()
    {
        // act
        var response = await fixture.Accounts.QueryAsync(TestCaller.Shopper(13), EveryPath);

        // assert
        Assert.Equal(["FORBIDDEN", "FORBIDDEN"], response.ErrorCodes());
        Assert.DoesNotContain("user12@", response.ToJsonString());
        Assert.Null(response["data"]!["user"]);
        Assert.Null(response["data"]!["_entities"]![0]);
    }

    [Fact]
    public async Task PublicFields_Should_StayReadable_When_AnotherShopperAsksWithoutEmail()
    {
        // act
        var data = await fixture.Accounts.DataAsync(TestCaller.Shopper(13), """{ user(id: "7") { id name } }""");

        // assert
        Assert.Equal("Grace Garcia", data["user"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Email_Should_BeUnauthenticated_When_CallerAnonymous()
    {
        // act
        var response = await fixture.Accounts.QueryAsync(TestCaller.Anonymous, EveryPath);

        // assert
        Assert.Equal(["UNAUTHENTICATED", "UNAUTHENTICATED"], response.ErrorCodes());
        Assert.DoesNotContain("user12@", response.ToJsonString());
    }

    [Fact]
    public async Task Users_Should_BeRefused_When_CallerIsNotAdmin()
    {
        // act
        var shopper = await fixture.Accounts.QueryAsync(TestCaller.Shopper(12), "{ users(first: 100) { nodes { id email } } }");
        var anonymous = await fixture.Accounts.QueryAsync(TestCaller.Anonymous, "{ users(first: 100) { nodes { id email } } }");

        // assert
        Assert.Equal(["FORBIDDEN"], shopper.ErrorCodes());
        Assert.Null(shopper["data"]);
        Assert.Equal(["UNAUTHENTICATED"], anonymous.ErrorCodes());
        Assert.Null(anonymous["data"]);
    }
}
