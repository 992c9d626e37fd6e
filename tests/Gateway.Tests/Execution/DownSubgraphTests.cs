using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Tests.Transport;
using Federation.Testing.Processes;

namespace Federation.Gateway.Tests.Execution;

/// <summary>
/// Graceful degradation with real subgraphs: catalog and inventory run as processes, reviews (and, in one test,
/// inventory) is down, its port refusing connections as after a crash. Fields a subgraph adds to another's entity
/// are nullable, so its outage nulls only them, with an error naming it at the entity's path.
/// </summary>
[Collection(LiveStackCollection.Name)]
public sealed class DownSubgraphTests(LiveStackFixture stack)
{
    private const string ProductsPage = "{ products(first: 3) { nodes { id name price stock { available } reviews(first: 1) { totalCount } } } }";

    [Fact]
    public async Task Gateway_Should_AnswerProductsWithNullReviews_When_ReviewsIsDown()
    {
        // arrange
        await using var gateway = await stack.StartGatewayAsync();

        // act
        var (status, body) = await gateway.PostAsync(ProductsPage);

        // assert
        Assert.Equal(200, status);
        var nodes = body["data"]!["products"]!["nodes"]!.AsArray();
        Assert.Equal(3, nodes.Count);
        Assert.All(nodes, node =>
        {
            Assert.False(string.IsNullOrEmpty(node!["name"]!.GetValue<string>()));
            Assert.True(node["price"]!.GetValue<double>() > 0);
            Assert.NotNull(node["stock"]!["available"]);
            Assert.True(node.AsObject().ContainsKey("reviews"));
            Assert.Null(node["reviews"]);
        });
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("""["products","nodes",0]""", error["path"]!.ToJsonString());
        Assert.Equal("reviews", error["extensions"]!["serviceName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Gateway_Should_AnswerTheProductWithNullStockAndReviews_When_InventoryAndReviewsAreDown()
    {
        // arrange
        await using var gateway = await stack.StartGatewayAsync(
            "--Subgraphs:inventory:Url", $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}/graphql");
        var (_, list) = await gateway.PostAsync("{ products(first: 1) { nodes { id name price } } }");
        var expected = list["data"]!["products"]!["nodes"]![0]!.AsObject();

        // act
        var (status, body) = await gateway.PostAsync(
            "query($id: ID!) { product(id: $id) { id name price stock { available } reviews(first: 1) { totalCount } } }",
            new JsonObject { ["id"] = expected["id"]!.DeepClone() });

        // assert
        Assert.Equal(200, status);
        var product = body["data"]!["product"]!.AsObject();
        Assert.Equal(expected["name"]!.GetValue<string>(), product["name"]!.GetValue<string>());
        Assert.Equal(expected["price"]!.GetValue<double>(), product["price"]!.GetValue<double>());
        Assert.Null(product["stock"]);
        Assert.Null(product["reviews"]);
        var errors = body["errors"]!.AsArray()
            .Select(e => (Service: e!["extensions"]!["serviceName"]!.GetValue<string>(), Path: e["path"]!.ToJsonString()))
            .OrderBy(e => e.Service, StringComparer.Ordinal)
            .ToList();
        Assert.Equal([("inventory", """["product"]"""), ("reviews", """["product"]""")], errors);
    }
}
