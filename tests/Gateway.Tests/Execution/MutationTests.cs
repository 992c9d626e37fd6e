using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Tests.Fixtures.Subgraphs;

namespace Federation.Gateway.Tests.Execution;

[Collection(FixtureData.Collection)]
public sealed class MutationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Mutation_Should_RunRootFieldsInOrder_When_TheyTargetDifferentSubgraphs()
    {
        // arrange
        const string mutation = """
            mutation {
              first: addProduct(name: "Lamp", price: 20) { name price }
              restock(upc: "4")
              second: addProduct(name: "Rug", price: 80) { name inStock }
            }
            """;

        // act
        var response = await fixture.ExecuteAsync(mutation);

        // assert
        var data = response["data"]!;
        Assert.Null(response["errors"]);
        Assert.Equal("Lamp", data["first"]!["name"]!.GetValue<string>());
        Assert.Contains("4", data["restock"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("Rug", data["second"]!["name"]!.GetValue<string>());
        Assert.False(data["second"]!["inStock"]!.GetValue<bool>());
        var order = fixture.Subgraphs["products"].Queries.Concat(fixture.Subgraphs["inventory"].Queries).Count(q => q.StartsWith("mutation", StringComparison.Ordinal));
        Assert.Equal(3, order);
        Assert.Contains(ProductsData.All(), p => p.Name == "Rug");
    }
}
