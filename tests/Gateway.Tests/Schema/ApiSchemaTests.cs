using Federation.Gateway.Schema;
using Federation.Gateway.Tests.Fixtures;
using Snapshooter.Xunit;

namespace Federation.Gateway.Tests.Schema;

public sealed class ApiSchemaTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public void ApiSchema_Should_DropJoinMachineryAndInaccessibleFields_When_SupergraphIsLoaded()
    {
        // arrange
        var supergraph = Supergraph.Parse(fixture.SupergraphSdl);

        // act
        var sdl = supergraph.Api.Sdl;

        // assert
        Assert.DoesNotContain("join__", sdl, StringComparison.Ordinal);
        Assert.DoesNotContain("link__", sdl, StringComparison.Ordinal);
        Assert.DoesNotContain("internalCode", sdl, StringComparison.Ordinal);
        sdl.MatchSnapshot();
    }

    [Fact]
    public void Supergraph_Should_ReadJoinMetadata_When_SupergraphIsLoaded()
    {
        // arrange
        var supergraph = Supergraph.Parse(fixture.SupergraphSdl);

        // act
        var product = supergraph.Type("Product");
        var shipping = product.Fields["shippingEstimate"];

        // assert
        Assert.Equal(["accounts", "inventory", "products", "reviews"], supergraph.Subgraphs.Values.Select(s => s.Name).Order());
        Assert.Equal(["INVENTORY", "PRODUCTS", "REVIEWS"], product.Joins.Select(j => j.Graph).Order());
        Assert.Equal("price weight", shipping.Joins.Single().Requires);
        Assert.True(product.Fields["price"].JoinIn("INVENTORY")!.External);
        Assert.True(product.Fields["internalCode"].Inaccessible);
        Assert.Equal("Mutation", supergraph.MutationType);
    }

    [Fact]
    public async Task Introspection_Should_AnswerFromApiSchema_When_SchemaAndTypeAreQueried()
    {
        // arrange
        const string query = """
            {
              __schema { queryType { name } mutationType { name } }
              product: __type(name: "Product") { kind fields { name } }
              entity: __type(name: "_Entity") { name }
              __typename
            }
            """;

        // act
        var response = await fixture.ExecuteAsync(query);

        // assert
        response.ToSnapshot().MatchSnapshot();
    }

    [Fact]
    public async Task Introspection_Should_BeServedWithoutSubgraphCalls_When_OnlyTypenameIsQueried()
    {
        // arrange
        var before = fixture.Subgraphs.Values.Sum(s => s.Queries.Count);

        // act
        var response = await fixture.ExecuteAsync("{ __typename }");

        // assert
        Assert.Equal("""{"data":{"__typename":"Query"}}""", response.ToJsonString());
        Assert.Equal(before, fixture.Subgraphs.Values.Sum(s => s.Queries.Count));
    }
}
