namespace Federation.Gateway.Tests.Faults;

/// <summary>
/// The order page with catalog down (its port refusing connections, as after a crash) and the other six subgraphs live:
/// <c>OrderLine.product</c> is nullable, so the order keeps its lines, total and payment and only each line's product is
/// null, with a catalog error at that line's path.
/// </summary>
[Trait("Lane", "Faults")]
[Collection(FaultCollection.Name)]
public sealed class DownCatalogOrderPageTests(FaultStackFixture stack)
{
    [Fact]
    public async Task OrderPage_Should_KeepItsLinesWithNullProducts_When_CatalogIsDown()
    {
        // arrange
        var orderPage = StorefrontOperations.All.Single(o => o.Name == "Order");
        await stack.EnsureSignedInAsync();
        var (_, full, _) = await stack.SendAsync(orderPage);
        Assert.Null(full["errors"]);
        var expected = full["data"]!["order"]!;
        await using var gateway = await stack.StartGatewayWithoutAsync("catalog");

        // act
        var (status, body, _) = await stack.SendAsync(orderPage, gateway);

        // assert
        Assert.Equal(200, status);
        var order = body["data"]!["order"]!;
        Assert.Equal(expected["id"]!.GetValue<string>(), order["id"]!.GetValue<string>());
        Assert.Equal(expected["total"]!.GetValue<double>(), order["total"]!.GetValue<double>());
        Assert.NotNull(order["payment"]);
        var lines = order["lines"]!.AsArray();
        var expectedLines = expected["lines"]!.AsArray();
        Assert.Equal(expectedLines.Count, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.Equal(expectedLines[i]!["quantity"]!.GetValue<int>(), lines[i]!["quantity"]!.GetValue<int>());
            Assert.Equal(expectedLines[i]!["unitPrice"]!.GetValue<double>(), lines[i]!["unitPrice"]!.GetValue<double>());
            Assert.True(lines[i]!.AsObject().ContainsKey("product"));
            Assert.Null(lines[i]!["product"]);
        }

        var errors = body["errors"]!.AsArray();
        Assert.NotEmpty(errors);
        Assert.All(errors, error =>
        {
            Assert.Equal("catalog", error!["extensions"]!["serviceName"]!.GetValue<string>());
            var path = error["path"]!.AsArray().Select(segment => segment!.ToJsonString()).ToArray();
            Assert.Equal(["\"order\"", "\"lines\""], path[..2]);
        });
    }
}
