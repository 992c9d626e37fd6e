using System.Text.Json.Nodes;

namespace Federation.Gateway.Tests.Security;

/// <summary>
/// The account area through the gateway: saved addresses are their owner's alone (another shopper, an admin and an
/// anonymous caller are refused by every path), the account mutations never reach another account, and the checkout
/// fields of an order (address, method, card, rejection reason) stay with the order's owner.
/// </summary>
public sealed partial class LiveGatewaySecurityTests
{
    private const string AccountPassword = "Gateway123";

    private const string AddAddress = """
        mutation ($input: AddressInput!) { addAddress(input: $input) { address { id } errors { code } } }
        """;

    private static readonly object HomeAddress = new { name = "Ada Owner", line1 = "77 Secret Lane", city = "Portland", region = "OR", postalCode = "97204", country = "US" };

    [Fact]
    public async Task Addresses_Should_BeRefusedByEveryPath_When_AnotherShopperAdminOrAnonymousAsks()
    {
        // arrange: the discovered owner (who has a review, so every user path reaches them) saves an address
        var data = await OwnerAsync();
        var ownerToken = fixture.Tokens.Token(subject: data.UserId, scope: "shopper");
        var added = await fixture.PostAsync(AddAddress, new { input = HomeAddress }, ownerToken);
        Assert.True(added["errors"] is null && added["data"]!["addAddress"]!["errors"]!.AsArray().Count == 0, added.ToJsonString());
        var own = await fixture.PostAsync("{ viewer { id addresses { id line1 } } }", token: ownerToken);

        // act
        var answers = new List<(string Who, string Path, JsonObject Response)>();
        foreach (var (who, token) in new[] { ("shopper", data.ShopperToken), ("admin", data.AdminToken), ("anonymous", (string?)null) })
        {
            foreach (var path in UserPaths.Keys)
            {
                answers.Add((who, path, await fixture.PostAsync(UserPaths[path].Replace("FIELD", "addresses { id line1 }", StringComparison.Ordinal), data.PathIds, token)));
            }
        }

        var anonymousViewer = await fixture.PostAsync("{ viewer { id addresses { id line1 } } }");

        // assert: the owner reads it; nobody else does, by any path
        Assert.Contains("77 Secret Lane", own.ToJsonString(), StringComparison.Ordinal);
        foreach (var (who, path, response) in answers)
        {
            var codes = Codes(response).ToList();
            Assert.True(codes.Count > 0, $"{who} via {path}: {response.ToJsonString()}");
            Assert.All(codes, code => Assert.Equal(who == "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN", code));
            Assert.DoesNotContain("Secret Lane", response.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Equal("""{"viewer":null}""", anonymousViewer["data"]!.ToJsonString());
    }

    [Fact]
    public async Task AccountMutations_Should_NeverReachAnotherAccount_When_AnotherShopperAdminOrAnonymousCalls()
    {
        // arrange: a registered owner with a known password and a saved address
        var (ownerId, email) = await RegisterAsync();
        var ownerToken = fixture.Tokens.Token(subject: ownerId, scope: "shopper");
        var addressId = (await fixture.PostAsync(AddAddress, new { input = HomeAddress }, ownerToken))["data"]!["addAddress"]!["address"]!["id"]!.GetValue<string>();
        var (_, otherEmail) = await RegisterAsync();
        var data = await OwnerAsync();
        const string remove = """mutation ($id: ID!) { removeAddress(id: $id) { removedId errors { code } } }""";
        const string change = """mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { accessToken errors { code } } }""";
        const string rename = """mutation { updateProfile(input: { name: "Not yours" }) { user { id name } errors { code } } }""";
        var changeInput = new { input = new { currentPassword = AccountPassword, newPassword = "Taken12345" } };

        // act
        var shopperRemove = await fixture.PostAsync(remove, new { id = addressId }, data.ShopperToken);
        var adminRemove = await fixture.PostAsync(remove, new { id = addressId }, data.AdminToken);
        var shopperChange = await fixture.PostAsync(change, changeInput, data.ShopperToken, "127.0.0.71");
        var adminChange = await fixture.PostAsync(change, changeInput, data.AdminToken, "127.0.0.71");
        var anonymous = new[]
        {
            await fixture.PostAsync(AddAddress, new { input = HomeAddress }),
            await fixture.PostAsync(remove, new { id = addressId }),
            await fixture.PostAsync(change, changeInput),
            await fixture.PostAsync(rename),
        };
        var owner = await fixture.PostAsync("{ viewer { name addresses { id } } }", token: ownerToken);
        var ownerLogin = await fixture.PostAsync(Login, new { input = new { email, password = AccountPassword } }, sourceAddress: "127.0.0.72");
        var otherLogin = await fixture.PostAsync(Login, new { input = new { email = otherEmail, password = AccountPassword } }, sourceAddress: "127.0.0.72");

        // assert: as if the address did not exist; the password checked is the caller's own, so it is wrong
        Assert.Equal("NOT_FOUND", shopperRemove["data"]!["removeAddress"]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("NOT_FOUND", adminRemove["data"]!["removeAddress"]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("WRONG_PASSWORD", shopperChange["data"]!["changePassword"]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Null(shopperChange["data"]!["changePassword"]!["accessToken"]);
        Assert.Null(adminChange["data"]?["changePassword"]?["accessToken"]);
        Assert.NotEmpty(adminChange["data"]!["changePassword"]!["errors"]!.AsArray());
        foreach (var response in anonymous)
        {
            Assert.Null(response["data"]);
            Assert.All(Codes(response), code => Assert.Equal("UNAUTHORIZED_FIELD_OR_TYPE", code));
            Assert.NotEmpty(Codes(response));
        }

        Assert.Equal("Gateway Owner", owner["data"]!["viewer"]!["name"]!.GetValue<string>());
        Assert.Equal([addressId], owner["data"]!["viewer"]!["addresses"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.NotNull(ownerLogin["data"]!["login"]!["accessToken"]);
        Assert.NotNull(otherLogin["data"]!["login"]!["accessToken"]);
    }

    [Fact]
    public async Task CheckoutFieldsOfOrder_Should_StayWithItsOwner_When_AnotherShopperAsksByAnyPath()
    {
        // arrange: the registered owner places an order with an address, a method and a card
        var (ownerId, _) = await RegisterAsync();
        var ownerToken = fixture.Tokens.Token(subject: ownerId, scope: "shopper");
        var placed = await fixture.PostAsync(
            """
            mutation ($input: PlaceOrderInput!, $key: String!) { placeOrder(input: $input, idempotencyKey: $key) { order { id } errors { code message } } }
            """,
            new
            {
                input = new { lines = new[] { new { productId = "1", quantity = 1 } }, shippingAddress = HomeAddress, shippingMethod = "EXPRESS", payment = new { cardNumber = "4242 4242 4242 4242" } },
                key = Guid.NewGuid().ToString(),
            },
            ownerToken);
        Assert.True(placed["errors"] is null && placed["data"]!["placeOrder"]!["order"] is JsonObject, placed.ToJsonString());
        var orderId = placed["data"]!["placeOrder"]!["order"]!["id"]!.GetValue<string>();
        const string fields = "id shippingAddress { name line1 city } shippingMethod paymentCard { brand last4 } rejectionReason";
        var data = await OwnerAsync();

        // act
        var own = await fixture.PostAsync($$"""query ($id: ID!) { order(id: $id) { {{fields}} } }""", new { id = orderId }, ownerToken);
        var byRoot = await fixture.PostAsync($$"""query ($id: ID!) { order(id: $id) { {{fields}} } }""", new { id = orderId }, data.ShopperToken);
        var byUser = await fixture.PostAsync($$"""query ($id: ID!) { user(id: $id) { id orders(first: 5) { nodes { {{fields}} } } } }""", new { id = ownerId }, data.ShopperToken);
        var anonymous = await fixture.PostAsync($$"""query ($id: ID!) { order(id: $id) { {{fields}} } }""", new { id = orderId });

        // assert: the owner sees the fields; another shopper gets no order and no orders list, anonymous nothing
        Assert.True(own["errors"] is null, own.ToJsonString());
        Assert.Equal("77 Secret Lane", own["data"]!["order"]!["shippingAddress"]!["line1"]!.GetValue<string>());
        Assert.Equal("EXPRESS", own["data"]!["order"]!["shippingMethod"]!.GetValue<string>());
        Assert.Equal("4242", own["data"]!["order"]!["paymentCard"]!["last4"]!.GetValue<string>());
        Assert.Equal("""{"order":null}""", byRoot["data"]!.ToJsonString());
        Assert.Equal(["FORBIDDEN"], Codes(byUser));
        Assert.Null(byUser["data"]!["user"]!["orders"]);
        Assert.Null(anonymous["data"]?["order"]);
        foreach (var response in new[] { byRoot, byUser, anonymous })
        {
            Assert.DoesNotContain("Secret Lane", response.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("4242", response.ToJsonString(), StringComparison.Ordinal);
        }
    }

    /// <summary>A fresh account through the gateway: its id and email; the password is <see cref="AccountPassword"/>.</summary>
    private async Task<(string Id, string Email)> RegisterAsync()
    {
        var email = $"gateway.{Guid.NewGuid():N}@example.com";
        var registered = await fixture.PostAsync(
            """mutation ($input: RegisterInput!) { register(input: $input) { user { id } errors { code } } }""",
            new { input = new { email, name = "Gateway Owner", password = AccountPassword } });
        Assert.True(registered["errors"] is null && registered["data"]!["register"]!["user"] is JsonObject, registered.ToJsonString());
        return (registered["data"]!["register"]!["user"]!["id"]!.GetValue<string>(), email);
    }
}
