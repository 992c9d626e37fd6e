using System.Text.Json.Nodes;
using Federation.Testing.Security;

namespace Accounts.Tests;

/// <summary>
/// Saved addresses are only their owner's: read through viewer or User.addresses, added and removed by the signed-in
/// caller alone. Each test uses its own seeded user (40-45), so what it counts is its own.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class AddressTests(AccountsFixture fixture)
{
    private const string Add = """
        mutation Add($input: AddressInput!) {
          addAddress(input: $input) { address { id name line1 line2 city region postalCode country } errors { code message field } }
        }
        """;

    private const string Remove = """
        mutation Remove($id: ID!) { removeAddress(id: $id) { removedId errors { code message field } } }
        """;

    private const string Viewer = "{ viewer { id addresses { id name line1 line2 city region postalCode country } } }";

    private static object Home(string name = "Ada Lovelace") =>
        new { name = $"  {name} ", line1 = "12 Market St", line2 = "  ", city = "San Francisco", region = "CA", postalCode = "94103", country = "us" };

    [Fact]
    public async Task AddAddress_Should_SaveTrimmedAddressForTheCaller_When_InputValid()
    {
        // act
        var added = await fixture.Accounts.DataAsync(TestCaller.Shopper(40), Add, new { input = Home() });
        var viewer = await fixture.Accounts.DataAsync(TestCaller.Shopper(40), Viewer);

        // assert
        var payload = added["addAddress"]!;
        Assert.Empty(payload["errors"]!.AsArray());
        var address = payload["address"]!;
        Assert.Equal("Ada Lovelace", address["name"]!.GetValue<string>());
        Assert.Null(address["line2"]);
        Assert.Equal("US", address["country"]!.GetValue<string>());
        Assert.Equal("40", viewer["viewer"]!["id"]!.GetValue<string>());
        Assert.Contains(viewer["viewer"]!["addresses"]!.AsArray(), a => a!["id"]!.GetValue<string>() == address["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AddAddress_Should_ReturnAnErrorPerFieldAndSaveNothing_When_FieldsEmptyOrCountryInvalid()
    {
        // act
        var added = await fixture.Accounts.DataAsync(TestCaller.Shopper(41), Add,
            new { input = new { name = " ", line1 = "", city = "Berlin", postalCode = "", country = "Germany" } });
        var viewer = await fixture.Accounts.DataAsync(TestCaller.Shopper(41), Viewer);

        // assert
        var errors = added["addAddress"]!["errors"]!.AsArray();
        Assert.Equal(["input.name", "input.line1", "input.postalCode", "input.country"], errors.Select(e => string.Join('.', e!["field"]!.AsArray().Select(f => f!.GetValue<string>()))));
        Assert.All(errors, e => Assert.Equal("VALIDATION", e!["code"]!.GetValue<string>()));
        Assert.Null(added["addAddress"]!["address"]);
        Assert.Empty(viewer["viewer"]!["addresses"]!.AsArray());
    }

    [Fact]
    public async Task RemoveAddress_Should_RemoveOwnAndAnswerNotFoundForAnothers_When_Called()
    {
        // arrange
        var mine = await AddAsync(42);
        var theirs = await AddAsync(43);

        // act
        var removeTheirs = await fixture.Accounts.DataAsync(TestCaller.Shopper(42), Remove, new { id = theirs });
        var removeMine = await fixture.Accounts.DataAsync(TestCaller.Shopper(42), Remove, new { id = mine });
        var again = await fixture.Accounts.DataAsync(TestCaller.Shopper(42), Remove, new { id = mine });
        var theirViewer = await fixture.Accounts.DataAsync(TestCaller.Shopper(43), Viewer);

        // assert
        Assert.Equal("NOT_FOUND", removeTheirs["removeAddress"]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(mine, removeMine["removeAddress"]!["removedId"]!.GetValue<string>());
        Assert.Equal("NOT_FOUND", again["removeAddress"]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Contains(theirViewer["viewer"]!["addresses"]!.AsArray(), a => a!["id"]!.GetValue<string>() == theirs);
    }

    [Fact]
    public async Task Addresses_Should_BeForbiddenByEveryPath_When_AnotherUserOrAdminAsks()
    {
        // arrange
        await AddAsync(44);
        const string everyPath = """
            query { user(id: "44") { addresses { id } } _entities(representations: [{ __typename: "User", id: "44" }]) { ... on User { addresses { id } } } }
            """;

        // act
        var stranger = await fixture.Accounts.QueryAsync(TestCaller.Shopper(45), everyPath);
        var admin = await fixture.Accounts.QueryAsync(TestCaller.Admin, everyPath);
        var anonymous = await fixture.Accounts.QueryAsync(TestCaller.Anonymous, everyPath);

        // assert
        Assert.Equal(["FORBIDDEN", "FORBIDDEN"], stranger.ErrorCodes());
        Assert.Equal(["FORBIDDEN", "FORBIDDEN"], admin.ErrorCodes());
        Assert.Equal(["UNAUTHENTICATED", "UNAUTHENTICATED"], anonymous.ErrorCodes());
        foreach (var response in new[] { stranger, admin, anonymous })
            Assert.DoesNotContain("Market St", response.ToJsonString());
    }

    [Fact]
    public async Task AddressMutations_Should_BeUnauthenticatedAndViewerNull_When_CallerAnonymous()
    {
        // act
        var add = await fixture.Accounts.QueryAsync(TestCaller.Anonymous, Add, new { input = Home() });
        var remove = await fixture.Accounts.QueryAsync(TestCaller.Anonymous, Remove, new { id = "1" });
        var viewer = await fixture.Accounts.DataAsync(TestCaller.Anonymous, "{ viewer { id } }");

        // assert
        Assert.Equal(["UNAUTHENTICATED"], add.ErrorCodes());
        Assert.Equal(["UNAUTHENTICATED"], remove.ErrorCodes());
        Assert.Null(viewer["viewer"]);
    }

    private async Task<string> AddAsync(int userId)
    {
        var added = await fixture.Accounts.DataAsync(TestCaller.Shopper(userId), Add, new { input = Home($"User {userId}") });
        Assert.Empty(added["addAddress"]!["errors"]!.AsArray());
        return added["addAddress"]!["address"]!["id"]!.GetValue<string>();
    }
}
