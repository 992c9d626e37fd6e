using Federation.Testing.Security;

namespace Accounts.Tests;

[Collection(AccountsCollection.Name)]
public sealed class UserQueryTests(AccountsFixture fixture)
{
    private const string Page = """
        query Page($first: Int, $after: String) {
          users(first: $first, after: $after) { edges { cursor node { id name } } pageInfo { hasNextPage hasPreviousPage endCursor } }
        }
        """;

    [Fact]
    public async Task Users_Should_WalkSeededUsersInIdOrder_When_PagedWithCursors()
    {
        // arrange
        var ids = new List<int>();
        string? after = null;

        // act
        for (var page = 0; page < 3; page++)
        {
            var data = await fixture.Accounts.DataAsync(TestCaller.Admin, Page, new { first = 20, after });
            var users = data["users"]!;
            ids.AddRange(users["edges"]!.AsArray().Select(e => int.Parse(e!["node"]!["id"]!.GetValue<string>())));
            Assert.Equal(after is not null, users["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
            after = users["pageInfo"]!["endCursor"]!.GetValue<string>();
        }

        // assert
        // Tests register users with ids after 50, so only the third page depends on them.
        Assert.Equal(Enumerable.Range(1, 50), ids.Take(50));
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Distinct(), ids);
    }

    [Fact]
    public async Task User_Should_ReturnSeededNameAndEmail_When_QueriedById()
    {
        // act
        var data = await fixture.Accounts.DataAsync(TestCaller.Shopper(7), """{ user(id: "7") { id email name } missing: user(id: "999999") { id } }""");

        // assert
        Assert.Equal("user7@example.com", data["user"]!["email"]!.GetValue<string>());
        Assert.Equal("Grace Garcia", data["user"]!["name"]!.GetValue<string>());
        Assert.Null(data["missing"]);
    }

    [Theory]
    [InlineData("""{ users(after: "not-a-cursor") { totalCount } }""", "BAD_CURSOR")]
    [InlineData("""{ users(first: 101) { totalCount } }""", "BAD_USER_INPUT")]
    [InlineData("""{ user(id: "abc") { id } }""", "BAD_USER_INPUT")]
    public async Task Query_Should_ReturnClearError_When_ArgumentsInvalid(string query, string code)
    {
        // act
        var response = await fixture.Accounts.QueryAsync(TestCaller.Admin, query);

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal(code, error!["extensions"]!["code"]!.GetValue<string>());
    }
}
